"""The one writer of order status: every change goes through here and leaves an event."""

from storefront.domain.orders import (
    RELEASED_STATUSES,
    Actor,
    OrderStatus,
    Reason,
    check_transition,
)
from storefront.extensions import db
from storefront.models.orders import Order, OrderEvent
from storefront.models.types import utcnow
from storefront.services import order_events, quota


def open_order(order: Order, who: str) -> None:
    """Give a new order its first status, pending payment, and log it."""
    order.status = OrderStatus.PENDING_PAYMENT
    db.session.add(order)
    db.session.flush()
    db.session.add(
        OrderEvent(
            order_id=order.id,
            actor=who,
            from_status=None,
            to_status=order.status,
            reason=Reason.PLACED,
        )
    )
    order_events.publish(order, "placed")


def transition_order(
    order: Order,
    target: OrderStatus,
    actor: Actor,
    who: str,
    reason: str = "",
    params: dict[str, str] | None = None,
) -> None:
    """Move the order to `target` if the table allows `actor` to; flush, do not commit.

    `reason` is a `Reason` code and `params` fill its text in the reader's language.
    """
    current = OrderStatus(order.status)
    check_transition(current, target, actor)
    order.status = target
    db.session.add(
        OrderEvent(
            order_id=order.id,
            at=utcnow(),
            actor=who,
            from_status=current,
            to_status=target,
            reason=reason,
            reason_params=params or None,
        )
    )
    if target in RELEASED_STATUSES:
        quota.release(order, reason=target.value)
    db.session.flush()
    if target.value in order_events.EVENTS:
        order_events.publish(order, target.value)
