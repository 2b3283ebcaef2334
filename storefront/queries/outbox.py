"""Events whose subscribers failed: the merchant sees them and may retry them."""

from sqlalchemy import select

from storefront.extensions import db
from storefront.models import OutboxEvent


def stuck_events(limit: int = 50) -> list[OutboxEvent]:
    """Return the store's undispatched events that failed at least once, newest first."""
    return db.session.scalars(
        select(OutboxEvent)
        .where(OutboxEvent.dispatched_at.is_(None), OutboxEvent.attempts > 0)
        .order_by(OutboxEvent.id.desc())
        .limit(limit)
    ).all()
