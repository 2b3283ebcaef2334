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
