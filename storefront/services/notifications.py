"""Shopper notifications: written once per key, read in the page with an unread count."""

from sqlalchemy import func, select, update

from storefront.extensions import db
from storefront.models import Notification
from storefront.models.types import utcnow


def notify(shopper_id: int, key: str, kind: str, params: dict | None = None) -> bool:
    """Write a notification unless one with this key exists; return True when written."""
    exists = select(Notification.id).where(
        Notification.shopper_id == shopper_id, Notification.key == key
    )
    if db.session.scalar(exists):
        return False
    db.session.add(Notification(shopper_id=shopper_id, key=key, kind=kind, params=params or {}))
    db.session.commit()
    return True


def unread_count(shopper_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.shopper_id == shopper_id, Notification.read_at.is_(None))
    )


def mark_all_read(shopper_id: int) -> None:
    """Mark the shopper's notifications read."""
    db.session.execute(
        update(Notification)
        .where(Notification.shopper_id == shopper_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
