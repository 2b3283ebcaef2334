"""Row locks for money, stock and status changes (SPEC: each changes under a lock, once)."""

from sqlalchemy import select

from storefront.extensions import db


def locked(model, row_id: int):
    """Load a row FOR UPDATE, fresh from the database (other requests may have changed it)."""
    statement = select(model).where(model.id == row_id).with_for_update()
    return db.session.scalar(statement.execution_options(populate_existing=True))
