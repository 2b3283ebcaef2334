"""Read-only lookups for pages, lists and exports."""

from sqlalchemy import select

from storefront.extensions import db


def row_or_none(model, row_id: int | None):
    """Look a row up by id through a query, so the tenant filter always applies.

    `session.get()` can answer from the identity map without a query, which would
    bypass the filter; tenant-owned rows are never fetched that way.
    """
    if row_id is None:
        return None
    return db.session.scalar(select(model).where(model.id == row_id))


def taken(column, value, except_row=None) -> bool:
    """Return True when another row of the current store already has this value."""
    model = column.class_
    statement = select(model.id).where(column == value)
    if except_row is not None:
        statement = statement.where(model.id != except_row.id)
    return db.session.scalar(statement.limit(1)) is not None
