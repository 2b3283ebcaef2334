"""The one writer of order status: every change goes through here, is logged and raises its
domain event into the outbox (dispatched after the use case commits)."""

from storefront.domain.events import STATUS_EVENTS
from storefront.domain.orders import (
    RELEASED_STATUSES,
    Actor,
    OrderStatus,
    Reason,
    check_transition,
    returns_stock,
)
from storefront.extensions import db
from storefront.models.orders import Order, OrderEvent
from storefront.models.types import utcnow
from storefront.services import outbox, quota, stock


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
    outbox.record(STATUS_EVENTS[order.status], order, status=order.status)


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
    if returns_stock(current, target):
        stock.give_back(order)
    outbox.record(STATUS_EVENTS[target], order, status=target, previous=current)
    db.session.flush()
