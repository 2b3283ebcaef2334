"""Account lookups for the consoles."""

from sqlalchemy import select

from storefront.extensions import db
from storefront.models import StaffInvite, StaffUser


def tenant_staff() -> list[StaffUser]:
    """Return the current merchant's staff accounts."""
    return db.session.scalars(select(StaffUser).order_by(StaffUser.id)).all()


def pending_invites() -> list[StaffInvite]:
    """Return the current merchant's invitations not yet accepted or withdrawn."""
    return db.session.scalars(
        select(StaffInvite)
        .where(StaffInvite.accepted_at.is_(None), StaffInvite.revoked_at.is_(None))
        .order_by(StaffInvite.id)
    ).all()
