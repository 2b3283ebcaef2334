"""What shoppers and merchants do to orders after placement: ship, receive, review,
complete, cancel and refund. Each use case commits once; status moves only through
`transition_order`."""

import uuid
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from storefront.domain.errors import ErrorCode, Refused
from storefront.domain.orders import Actor, OrderStatus, Reason, check_shipment
from storefront.domain.shipping import normalise_tracking
from storefront.extensions import db
from storefront.models import CustomsDeclaration, Order, Review
from storefront.models.types import utcnow
from storefront.services import bonded_stock, commission, refunds
from storefront.services.orders import transition_order


def ship(
    order: Order, carrier: str, tracking_number: str, who: str, exchange: bool = False
) -> None:
    """Record the carrier and tracking number, mark shipped, tell the shopper.

    With `exchange`, a received order gets a replacement shipped (换货; the freight is
    settled between shopper and merchant, seed 002 §2.3).
    """
    tracking_number = normalise_tracking(carrier, tracking_number)
    if tracking_number is None:
        raise Refused(ErrorCode.INVALID_TRACKING)
    check_shipment(OrderStatus(order.status), exchange)
    if not exchange and _under_customs(order):
        raise Refused(ErrorCode.UNDER_CUSTOMS)
    _mark_shipped(order, carrier, tracking_number, Actor.MERCHANT, who, exchange)
    db.session.commit()


def ship_released(order: Order, carrier: str, tracking_number: str, who: str) -> None:
    """Ship what the bonded warehouse sent out once customs released it (SPEC §6.3): the
    warehouse's carrier and tracking number, no merchant action; flush, do not commit."""
    number = normalise_tracking(carrier, tracking_number)
    if number is None:
        raise Refused(ErrorCode.INVALID_TRACKING)
    _mark_shipped(order, carrier, number, Actor.SYSTEM, who, exchange=False)
    bonded_stock.record_shipment(order, who)  # the goods left the supervised area (seed 001 §12)


def _mark_shipped(order, carrier, tracking_number, actor: Actor, who: str, exchange: bool):
    # set before the transition, so its event carries the tracking number
    order.carrier, order.tracking_number, order.shipped_at = carrier, tracking_number, utcnow()
    reason = Reason.EXCHANGE_SHIPPED if exchange else Reason.SHIPPED
    params = {"carrier": carrier, "tracking_number": tracking_number}
    transition_order(order, OrderStatus.SHIPPED, actor, who, reason, params)


def _under_customs(order: Order) -> bool:
    """A declared order leaves the bonded warehouse only when customs released it."""
    return (
        db.session.scalar(
            select(CustomsDeclaration.id).where(CustomsDeclaration.order_id == order.id)
        )
        is not None
    )


def confirm_receipt(order: Order, actor: Actor = Actor.SHOPPER, who: str = "shopper") -> None:
    transition_order(order, OrderStatus.RECEIVED, actor, who, Reason.RECEIPT_CONFIRMED)
    order.received_at = utcnow()
    db.session.commit()


def complete(order: Order, who: str) -> None:
    transition_order(order, OrderStatus.COMPLETED, Actor.MERCHANT, who, Reason.COMPLETION_CONFIRMED)
    order.completed_at = utcnow()
    commission.earn(order)
    db.session.commit()


def accept_return(order: Order, who: str, note: str = "") -> None:
    """Accept the goods back after receipt; the merchant then refunds (SPEC §5)."""
    reason = Reason.RETURN_ACCEPTED
    transition_order(order, OrderStatus.RETURNED, Actor.MERCHANT, who, reason, _note(note))
    db.session.commit()


def cancel(order: Order, actor: Actor, who: str, note: str = "") -> None:
    """Cancel an unpaid order (or a paid one, by the merchant, who then refunds)."""
    by_shopper = actor == Actor.SHOPPER
    reason = Reason.CANCELLED_BY_SHOPPER if by_shopper else Reason.CANCELLED_BY_MERCHANT
    transition_order(order, OrderStatus.CANCELLED, actor, who, reason, _note(note))
    db.session.commit()


def _note(text: str) -> dict[str, str] | None:
    """The person's own words on a move, kept as they wrote them."""
    return {"note": text.strip()} if text.strip() else None


def review(order: Order, line_id: int, rating: int, body: str) -> Review:
    """Review one line of a received order, once."""
    if order.status not in (OrderStatus.RECEIVED, OrderStatus.COMPLETED):
        raise Refused(ErrorCode.NOT_RECEIVED)
    line = next((line for line in order.lines if line.id == line_id), None)
    if line is None or not 1 <= rating <= 5:
        raise Refused(ErrorCode.INVALID_REVIEW)
    if db.session.scalar(select(Review.id).where(Review.order_line_id == line.id)):
        raise Refused(ErrorCode.ALREADY_REVIEWED)
    row = Review(
        order_line_id=line.id,
        product_id=line.product_id,
        shopper_id=order.shopper_id,
        rating=rating,
        body=body.strip(),
    )
    db.session.add(row)
    db.session.commit()
    return row


def refund(order: Order, amount: Decimal, who: str, request_key: str | None = None) -> None:
    """Refund all or part of a paid order (see `services.refunds`: locked, keyed, bounded)."""
    refunds.refund_order(order, amount, who, request_key or uuid.uuid4().hex)


def sweep(now: datetime, unpaid_ttl: timedelta, receipt_after: timedelta) -> dict[str, int]:
    """Cancel orders unpaid past their time and confirm receipt of long-shipped ones."""
    expired = db.session.scalars(
        select(Order).where(
            Order.status == OrderStatus.PENDING_PAYMENT, Order.placed_at < now - unpaid_ttl
        )
    ).all()
    for order in expired:
        transition_order(
            order, OrderStatus.CANCELLED, Actor.SYSTEM, "system", Reason.UNPAID_EXPIRED
        )
    shipped = db.session.scalars(
        select(Order).where(
            Order.status == OrderStatus.SHIPPED, Order.shipped_at < now - receipt_after
        )
    ).all()
    for order in shipped:
        transition_order(order, OrderStatus.RECEIVED, Actor.SYSTEM, "system", Reason.RECEIPT_AUTO)
        order.received_at = now
    db.session.commit()
    return {"expired": len(expired), "received": len(shipped)}
