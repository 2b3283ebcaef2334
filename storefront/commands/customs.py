"""`flask customs ...`: drive declarations from the command line or cron (SPEC §6).

declare   send what each order needs next (waybill, then 311/411/511, then 621)
receive   take receipts in: the given files, or every file of the transports' inboxes
status    one order's customs state as one JSON object
validate  check messages against the official schema and the cross-document rules
"""

import json
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

customs_cli = AppGroup("customs", help="Customs declarations: declare, receive, status, validate.")


@customs_cli.command("declare")
@click.option("--order", "order_number", help="Only this order number.")
@click.option("--all", "every", is_flag=True, help="Every paid order that can move on.")
def declare(order_number: str | None, every: bool) -> None:
    """Send what each order needs next: tally sheet and waybill, the three documents, then
    the inventory list once customs accepted all three; ship what customs released."""
    from storefront.services.customs_upkeep import advance_each, due_declarations

    if bool(order_number) == every:
        raise click.UsageError("give either --order ORDER_NO or --all")
    pairs = due_declarations(order_number)
    if order_number and not pairs:
        _fail(f"{order_number}: no declaration that can move on (unknown, unpaid or finished)")
    counts = advance_each(pairs)
    click.echo(
        f"{len(pairs)} declarations: {counts['advanced']} moved on, "
        f"{counts['waiting']} waiting for an answer, {counts['failed']} failed"
    )


@customs_cli.command("receive")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def receive(files: tuple[Path, ...]) -> None:
    """Take receipts in: FILES, or (none given) every file waiting in the inboxes, which are
    moved aside once processed. Declarations the receipts unblock move on at once."""
    from storefront.services.customs_receipts import ingest
    from storefront.services.customs_upkeep import advance_each, collect_all

    report = ingest([(p.name, p.read_bytes()) for p in files]) if files else collect_all()
    advance_each(report.to_advance)
    click.echo(
        f"{report.files} files, {report.receipts} receipts: {report.applied} applied, "
        f"{report.tax_bills_stored} of {report.tax_bills} tax bills stored, "
        f"{report.duplicates} already known, {report.unmatched} unmatched, "
        f"{len(report.unreadable)} unreadable"
    )
    for name in report.unreadable:
        click.echo(f"unreadable: {name}", err=True)


@customs_cli.command("status")
@click.argument("order_number")
def status(order_number: str) -> None:
    """Print the order's customs state, reason and documents as one JSON object."""
    from storefront.queries.customs import status_by_order_number

    found = status_by_order_number(order_number)
    if found is None:
        _fail(f"{order_number}: no customs declaration")
    click.echo(json.dumps(found, ensure_ascii=False, sort_keys=True))


@customs_cli.command("validate")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
def validate(files: tuple[Path, ...]) -> None:
    """Check messages against the XSD and the rules it cannot check (several files of one
    order are also compared with each other); print every problem, exit 1 if any."""
    from storefront.customs.inspection import inspect_files

    problems = inspect_files([(str(path), path.read_bytes()) for path in files])
    for line in problems:
        click.echo(line)
    if problems:
        sys.exit(1)
    click.echo(f"{len(files)} file(s) valid")


def _fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(2)
