"""`flask embed`: the origins allowed to embed a store, for operators and the demo."""

import click
from flask.cli import AppGroup
from sqlalchemy import select

embed_cli = AppGroup("embed", help="Origins allowed to embed a store (SPEC §10).")


@embed_cli.command("allow")
@click.argument("store")
@click.argument("origin")
def allow_command(store: str, origin: str) -> None:
    """Allow ORIGIN to embed the store STORE (its slug); an allowed origin stays as it is."""
    from storefront.domain.errors import ErrorCode, Refused
    from storefront.services.embedding import allow_origin

    with _store_context(store):
        try:
            row = allow_origin(origin, "flask embed allow")
        except Refused as refused:
            if refused.code != ErrorCode.DUPLICATE_ORIGIN:
                raise click.ClickException(f"{refused.code}: {refused.message}") from refused
            click.echo(f"{store}: already allowed.")
        else:
            click.echo(f"{store}: {row.origin} may embed the store.")


@embed_cli.command("list")
@click.argument("store")
def list_command(store: str) -> None:
    """Print the origins allowed to embed the store STORE."""
    from storefront.queries.embedding import allowed_origins

    with _store_context(store) as tenant_id:
        for origin in allowed_origins(tenant_id):
            click.echo(origin)


def _store_context(slug: str):
    from storefront.extensions import db
    from storefront.models import Tenant
    from storefront.tenancy import tenant_context

    tenant_id = db.session.scalar(select(Tenant.id).where(Tenant.slug == slug))
    if tenant_id is None:
        raise click.ClickException(f"no store {slug!r}")
    return tenant_context(tenant_id)
