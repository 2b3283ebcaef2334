"""Account lookups for the consoles."""

from sqlalchemy import select

from storefront.extensions import db
from storefront.models import StaffUser


def tenant_staff() -> list[StaffUser]:
    """Return the current merchant's staff accounts."""
    return db.session.scalars(select(StaffUser).order_by(StaffUser.id)).all()
