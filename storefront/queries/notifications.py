"""Notification lookups."""

from sqlalchemy import select

from storefront.extensions import db
from storefront.models import Notification


def shopper_notifications(shopper_id: int, limit: int = 50) -> list[Notification]:
    return db.session.scalars(
        select(Notification)
        .where(Notification.shopper_id == shopper_id)
        .order_by(Notification.id.desc())
        .limit(limit)
    ).all()


def notifications_statement(shopper_id: int):
    """The shopper's notifications (for a paged list)."""
    return select(Notification).where(Notification.shopper_id == shopper_id)
