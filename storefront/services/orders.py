"""The one writer of order status: every change goes through here, is logged and raises its
domain event into the outbox (dispatched after the use case commits)."""

from sqlalchemy import select

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
    db.session.add(  # written with the order, in the use case's one flush
        OrderEvent(
            order=order,
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
    current = _lock(order)
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


def log_order(order: Order, who: str, reason: Reason, params: dict[str, str]) -> None:
    """Add a line to the order log without a status change (refunds, automatic actions)."""
    db.session.add(
        OrderEvent(
            order_id=order.id,
            actor=who,
            from_status=order.status,
            to_status=order.status,
            reason=reason,
            reason_params=params,
        )
    )


def _lock(order: Order) -> OrderStatus:
    """Lock the order's row and return its committed status (SPEC §5: each move once).

    Concurrent requests queue here; the second of two identical moves then finds the first
    one's status and is refused, instead of moving (and releasing quota and stock) twice.
    """
    status = db.session.scalar(select(Order.status).where(Order.id == order.id).with_for_update())
    order.status = status  # what another transaction committed before we got the lock
    return OrderStatus(status)
