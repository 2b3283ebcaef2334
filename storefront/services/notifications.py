"""Shopper notifications: written once per key, read in the page with an unread count."""

from sqlalchemy import func, select, update

from storefront.domain.events import DomainEvent, EventName
from storefront.domain.shipping import CARRIERS
from storefront.extensions import db
from storefront.models import Notification, Order
from storefront.models.types import utcnow
from storefront.queries import row_or_none

# The order events a shopper is told about (a subscriber: runs after the commit).
SHOPPER_EVENTS = frozenset({EventName.ORDER_SHIPPED, EventName.REFUND_MADE})


def notify(shopper_id: int, key: str, kind: str, params: dict | None = None) -> bool:
    """Add a notification unless one with this key exists; flush only (the caller commits)."""
    exists = select(Notification.id).where(
        Notification.shopper_id == shopper_id, Notification.key == key
    )
    if db.session.scalar(exists):
        return False
    db.session.add(Notification(shopper_id=shopper_id, key=key, kind=kind, params=params or {}))
    db.session.flush()
    return True


def tell_once(shopper_id: int, key: str, kind: str) -> None:
    """Notify the shopper once per key, as its own use case (jobs)."""
    notify(shopper_id, key=key, kind=kind)
    db.session.commit()


def tell_shopper(event: DomainEvent) -> None:
    """Tell the shopper their order shipped (keyed per tracking number) or was refunded."""
    order = row_or_none(Order, event.order_id)
    if order is None:
        return
    if event.name == EventName.REFUND_MADE:
        notify(
            order.shopper_id,
            f"refund:{order.id}:{event.data['refunded']}",
            "refund",
            {"order_id": order.id, "number": order.number, "amount": event.data["amount"]},
        )
        return
    notify(
        order.shopper_id,
        f"shipped:{order.id}:{order.tracking_number}",
        "shipped",
        {
            "order_id": order.id,
            "number": order.number,
            "carrier": CARRIERS.get(order.carrier or "", order.carrier),
            "tracking_number": order.tracking_number,
        },
    )


def unread_count(shopper_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.shopper_id == shopper_id, Notification.read_at.is_(None))
    )


def mark_all_read(shopper_id: int) -> None:
    """Mark the shopper's notifications read."""
    mark_read(shopper_id, None)


def mark_read(shopper_id: int, note_ids: list[int] | None) -> None:
    """Mark these notifications of the shopper read (None: all); others' ids change nothing."""
    statement = update(Notification).where(
        Notification.shopper_id == shopper_id, Notification.read_at.is_(None)
    )
    if note_ids is not None:
        statement = statement.where(Notification.id.in_(note_ids))
    db.session.execute(statement.values(read_at=utcnow()))
    db.session.commit()
