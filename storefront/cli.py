"""The project's `flask` commands: demo data, RQ workers, tax quotes."""

import secrets
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from rq import SimpleWorker

from storefront.jobs import QUEUES, redis_connection

demo_cli = AppGroup("demo", help="Load the demo stores and print their sign-ins.")
rq_cli = AppGroup("rq", help="Run background job workers (needs REDIS_URL).")
orders_cli = AppGroup("orders", help="Scheduled order upkeep (run from cron or a timer).")
stripe_cli = AppGroup("stripe", help="Payment provider set-up.")

DEMO_ACCOUNTS = ("operator", "owner", "second_owner", "shopper")


def register_commands(app: Flask) -> None:
    """Add the project's commands to the app. `tax`, `keys` and `invoice` are also `flask.commands`
    entry points (pyproject), so `flask` finds them before loading the app: they run
    without settings."""
    from storefront.commands.customs import customs_cli
    from storefront.commands.embed import embed_cli
    from storefront.commands.invoice import invoice_cli
    from storefront.commands.keys import keys_cli
    from storefront.commands.recon import recon_cli
    from storefront.commands.tax import tax_cli

    app.cli.add_command(demo_cli)
    app.cli.add_command(rq_cli)
    app.cli.add_command(tax_cli)
    app.cli.add_command(keys_cli)
    app.cli.add_command(orders_cli)
    app.cli.add_command(stripe_cli)
    app.cli.add_command(customs_cli)
    app.cli.add_command(recon_cli)
    app.cli.add_command(invoice_cli)
    app.cli.add_command(embed_cli)


@demo_cli.command("load")
def load_demo_command() -> None:
    """Create the demo stores once (safe to repeat) and print the demo sign-ins."""
    from storefront.services import demo

    logins_file = Path(current_app.instance_path) / "demo-logins.txt"
    passwords = _read_passwords(logins_file)
    fresh = not passwords
    passwords = passwords or _new_passwords()
    created = demo.load_demo(passwords)
    if fresh:
        if not created:  # the sign-ins file was lost: give the demo accounts new passwords
            demo.set_demo_passwords(passwords)
        logins_file.parent.mkdir(parents=True, exist_ok=True)
        logins_file.write_text("".join(f"{key}={value}\n" for key, value in passwords.items()))
        logins_file.chmod(0o600)
    click.echo("Demo loaded." if created else "Demo already present; nothing duplicated.")
    for line in demo.describe_logins(passwords):
        click.echo(line)


def _new_passwords() -> dict[str, str]:
    return {name: secrets.token_urlsafe(9) for name in DEMO_ACCOUNTS}


def _read_passwords(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    passwords = {name: value for name, value in pairs}
    return passwords if set(passwords) == set(DEMO_ACCOUNTS) else {}


@rq_cli.command("worker")
@click.argument("queues", nargs=-1)
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
def rq_worker(queues: tuple[str, ...], burst: bool) -> None:
    """Work the given queues (default: all, in priority order) inside the app context."""
    if not current_app.config.get("REDIS_URL"):
        raise click.UsageError("REDIS_URL is not set: without it jobs run in-process.")
    unknown = set(queues) - set(QUEUES)
    if unknown:
        raise click.UsageError(f"unknown queue(s): {', '.join(sorted(unknown))}")
    # SimpleWorker runs jobs in this process, which holds the app context and its engine.
    worker = SimpleWorker(list(queues or QUEUES), connection=redis_connection())
    worker.work(burst=burst, with_scheduler=True)


@orders_cli.command("sweep")
def sweep_orders() -> None:
    """Cancel orders unpaid past UNPAID_ORDER_TTL_MINUTES (releasing their quota), confirm
    receipt of orders shipped AUTO_RECEIPT_DAYS ago, retry due webhooks, take customs
    receipts in and move customs declarations on, in every store, generate last month's
    supervised-area report where it is missing, and ask for and collect e-invoices."""
    from storefront.models.types import utcnow
    from storefront.services.upkeep import (
        customs_upkeep,
        invoices_upkeep,
        monthly_reports,
        sweep_all_stores,
    )

    for slug, counts in sweep_all_stores().items():
        click.echo(
            f"{slug}: {counts['expired']} expired, {counts['received']} received, "
            f"{counts['events']} events dispatched, {counts['delivered']} webhooks delivered"
        )
    customs = customs_upkeep()
    click.echo(
        f"customs: {customs['receipts']} receipts applied, {customs['advanced']} declarations "
        f"moved on, {customs['waiting']} waiting, {customs['failed']} failed"
    )
    reports = monthly_reports(utcnow())
    click.echo(f"supervised-area reports: {len(reports)} generated ({', '.join(reports)})")
    invoices = invoices_upkeep()
    click.echo(f"invoices: {invoices['asked']} asked for, {invoices['collected']} collected")


@stripe_cli.command("connect-local")
@click.option(
    "--api",
    default="http://127.0.0.1:8420",
    show_default=True,
    help="The local Stripe-compatible server.",
)
@click.option(
    "--app-url",
    default="http://127.0.0.1:5000",
    show_default=True,
    help="Where this app is reachable, for the webhook.",
)
def connect_local(api: str, app_url: str) -> None:
    """Make the local payment server send its signed events to this app's webhook."""
    from plugins.stripe_payments.localserver import register_webhook

    secret = current_app.config.get("STRIPE_WEBHOOK_SECRET")
    if not secret:
        raise click.UsageError("STRIPE_WEBHOOK_SECRET is not set")
    register_webhook(api, "kuajing", f"{app_url}/webhooks/stripe", secret)
    click.echo(f"{api} now sends events to {app_url}/webhooks/stripe")
