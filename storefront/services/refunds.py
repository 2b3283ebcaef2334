"""Refunds: one code path for the console, the provider's side (dashboard, lost disputes)
and our own automatic refunds.

Money rows are locked (checkout, order, payment) so simultaneous requests queue; each request has
its own idempotency key (a replay changes nothing); the refunded total never exceeds what
was paid, and the quota released is exactly the refunded share (SPEC §3).
"""

from decimal import Decimal

from sqlalchemy import select

from storefront.domain.errors import ErrorCode, Refused, provider_code
from storefront.domain.events import EventName
from storefront.domain.orders import RELEASED_STATUSES, Actor, OrderStatus, Reason
from storefront.domain.refunds import CENT, refundable, released_share, spread
from storefront.extensions import db
from storefront.integrations import payment_provider
from storefront.models import Checkout, Order, Payment, Refund
from storefront.ports import PaymentError
from storefront.services import commission, outbox, quota
from storefront.services.locks import locked
from storefront.services.orders import log_order, transition_order


def paid_payment(order: Order) -> Payment | None:
    """The payment that paid the order's checkout, locked."""
    payment_id = db.session.scalar(
        select(Payment.id).where(
            Payment.checkout_id == order.checkout_id, Payment.status == "succeeded"
        )
    )
    return locked(Payment, payment_id) if payment_id else None


def refund_order(order: Order, amount: Decimal, who: str, request_key: str) -> Refund:
    """Refund part or all of a paid order through the provider, once per request key."""
    key = f"refund-{order.id}-{request_key}"
    locked(Checkout, order.checkout_id)  # checkout, payment, order: the order reconcile locks in
    order = locked(Order, order.id)
    payment = paid_payment(order)
    earlier = db.session.scalar(select(Refund).where(Refund.idempotency_key == key))
    if earlier is not None:  # the same request again (double submit, retry): nothing more
        return earlier
    if payment is None:
        raise Refused(ErrorCode.NOT_PAID)
    limit = refundable(order.total - order.refunded, payment.amount - payment.refunded)
    if not CENT <= amount <= limit:
        raise Refused(ErrorCode.INVALID_AMOUNT)
    try:
        made = payment_provider().refund(payment.reference, amount, key)
    except PaymentError as error:
        raise Refused(provider_code(error.code), error.message) from error
    refund = record_refund(order, payment, amount, "console", who, key, made.reference)
    db.session.commit()
    return refund


def record_refund(
    order: Order,
    payment: Payment,
    amount: Decimal,
    source: str,
    who: str,
    key: str,
    reference: str | None = None,
) -> Refund:
    """Book a refund made at the provider: amounts, quota share, commission, status, log."""
    remaining = order.total - order.refunded
    order.refunded += amount
    payment.refunded += amount
    if order.status == OrderStatus.COMPLETED:
        commission.reverse(order, amount)
    actor = Actor.MERCHANT if source == "console" else Actor.SYSTEM
    params = {"amount": str(amount)}
    if order.status in RELEASED_STATUSES:
        log_order(order, who, Reason.REFUND, params)  # cancelled: its quota went back already
    elif order.refunded == order.total:
        transition_order(order, OrderStatus.REFUNDED, actor, who, Reason.REFUND, params)
    else:
        quota.release(order, "partial_refund", released_share(amount, remaining))
        log_order(order, who, Reason.PARTIAL_REFUND, params)
    refund = Refund(
        order_id=order.id,
        payment_id=payment.id,
        amount=amount,
        source=source,
        idempotency_key=key,
        provider_reference=reference,
        who=who,
    )
    db.session.add(refund)
    outbox.record(EventName.REFUND_MADE, order, amount=amount, refunded=order.refunded)
    db.session.flush()
    return refund


def book_provider_refunds(payment: Payment, provider_total: Decimal, source: str) -> str:
    """Book what the provider refunded beyond what we recorded, spread over the orders."""
    extra = min(provider_total, payment.amount) - payment.refunded
    if extra <= 0:
        return ""  # nothing new: the refunds we made ourselves are booked already
    orders = [locked(Order, order_id) for order_id in sorted(o.id for o in payment.checkout.orders)]
    for order, part in zip(
        orders, spread(extra, [o.total - o.refunded for o in orders]), strict=True
    ):
        if part > 0:
            key = f"{source}-{payment.id}-{order.id}-{payment.refunded + part}"
            record_refund(order, payment, part, source, "provider", key)
    return f"{source} refund {extra} booked"
