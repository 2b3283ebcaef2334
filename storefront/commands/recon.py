"""`flask recon ...`: reconciliation for finance automation (SPEC §8, issue 12).

run     reconcile a period (one store or all) and print one line: orders, matched, mismatches
export  write the period's records as CSV or XLSX (streamed: constant memory)
pull    fetch the payment provider's settlement records of a period
"""

from datetime import date
from pathlib import Path

import click
from flask.cli import AppGroup

recon_cli = AppGroup("recon", help="Reconciliation (对账): run, export, pull settlements.")

DATE = click.DateTime(formats=["%Y-%m-%d"])


def _period(start, end) -> tuple[date, date]:
    if end.date() < start.date():
        raise click.UsageError("--to is before --from")
    return start.date(), end.date()


def _tenant_id(slug: str | None) -> int | None:
    from sqlalchemy import select

    from storefront.extensions import db
    from storefront.models import Tenant
    from storefront.tenancy import system_context

    if slug is None:
        return None
    with system_context():
        found = db.session.scalar(select(Tenant.id).where(Tenant.slug == slug))
    if found is None:
        raise click.UsageError(f"no store with the slug {slug!r}")
    return found


@recon_cli.command("run")
@click.option("--from", "start", type=DATE, required=True, help="First day (YYYY-MM-DD, CST).")
@click.option("--to", "end", type=DATE, required=True, help="Last day, included.")
@click.option("--tenant", "slug", help="Only this store (its slug); default every store.")
def run_command(start, end, slug: str | None) -> None:
    """Reconcile the orders customs released in the period; print one summary line."""
    from storefront.services.reconciliation import run

    date_from, date_to = _period(start, end)
    summary = run(_tenant_id(slug), date_from, date_to, "cli")
    click.echo(summary.line())


@recon_cli.command("export")
@click.option("--from", "start", type=DATE, required=True, help="First day (YYYY-MM-DD, CST).")
@click.option("--to", "end", type=DATE, required=True, help="Last day, included.")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), required=True)
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option(
    "--table",
    type=click.Choice(["both", "transaction", "tax"]),
    default="both",
    show_default=True,
    help="The transaction record, the tax record, or both in one row per order.",
)
@click.option("--tenant", "slug", help="Only this store (its slug); default every store.")
def export_command(start, end, fmt: str, out: Path, table: str, slug: str | None) -> None:
    """Write the records of the period (as last run) with a totals row."""
    from storefront.queries import reconciliation as queries
    from storefront.tenancy import system_context

    date_from, date_to = _period(start, end)
    tenant_id = _tenant_id(slug)
    columns = queries.columns_for(table)
    fields, titles = [f for f, _t in columns], [t for _f, t in columns]
    filters = queries.RecordFilters(date_from, date_to, tenant_id=tenant_id)
    with system_context():  # the operator's export: every store unless --tenant
        rows = queries.export_rows(queries.records_statement(filters), fields)
        if fmt == "csv":
            with out.open("w", encoding="utf-8", newline="") as handle:
                handle.writelines(queries.csv_chunks(rows, titles, fields))
        else:
            with out.open("wb") as handle:
                queries.write_xlsx(rows, titles, fields, handle)
    click.echo(f"{out}")


@recon_cli.command("pull")
@click.option("--from", "start", type=DATE, required=True, help="First day (YYYY-MM-DD, CST).")
@click.option("--to", "end", type=DATE, required=True, help="Last day, included.")
def pull_command(start, end) -> None:
    """Fetch the payment provider's settlement records created in the period."""
    from storefront.services.reconciliation import period_bounds
    from storefront.services.settlements import pull_settlements

    created_from, created_to = period_bounds(*_period(start, end))
    new = pull_settlements(created_from, created_to)
    click.echo(f"{new} new settlement records")
