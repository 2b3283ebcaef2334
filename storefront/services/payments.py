"""Paying for a checkout and applying the provider's verified events, exactly once.

The success page never marks an order paid: a verified event does, applied by asking the
provider for the payment's current state (SPEC §4); a replayed, late or out-of-order event
changes nothing twice.
"""

import uuid
from dataclasses import asdict
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from storefront.domain.errors import ErrorCode, Refused, provider_code
from storefront.domain.orders import Actor, OrderStatus, Reason
from storefront.extensions import db
from storefront.integrations import payment_provider
from storefront.models import Checkout, Order, Payment, ProviderEvent, Refund
from storefront.models.types import utcnow
from storefront.ports import (
    PayerDetails,
    PaymentError,
    PaymentEvent,
    PaymentIntentView,
    PaymentSlip,
)
from storefront.services.locks import locked
from storefront.services.orders import log_order, transition_order
from storefront.services.refunds import book_provider_refunds
from storefront.tenancy import system_context

ZERO = Decimal("0.00")
METHODS = ("card", "wechat_pay", "alipay")
LIVE = ("created", "requires_action")  # ours: a payment the shopper may still complete
PAYABLE = ("requires_payment_method", "requires_confirmation", "requires_action")  # provider's


def start_payment(
    checkout: Checkout, method: str, return_url: str
) -> tuple[Payment, PaymentIntentView]:
    """Reuse the checkout's live payment or replace it: a checkout has one live payment.

    Commits follow the provider's calls, not one per use case, on purpose: the payment row
    and its idempotency key are committed before the provider is called (a retry after a
    crash gets the same intent back, not a second one), and each answer that cannot be undone
    at the provider (an intent created, an earlier one cancelled) is committed as it arrives.
    """
    if method not in METHODS:
        raise Refused(ErrorCode.UNKNOWN_METHOD)
    checkout = locked(Checkout, checkout.id)  # two tabs paying queue here
    if not checkout.orders or any(o.status != OrderStatus.PENDING_PAYMENT for o in checkout.orders):
        raise Refused(ErrorCode.NOT_PAYABLE)
    live = db.session.scalar(
        select(Payment).where(Payment.checkout_id == checkout.id, Payment.status.in_(LIVE))
    )
    if live is not None:
        view = _resume(live, method, return_url)
        if view is not None:
            return live, view
    payment = Payment(
        checkout_id=checkout.id,
        provider=payment_provider().PLUGIN_ID,
        method=method,
        amount=checkout.amount,
        goods_total=sum((o.goods_total for o in checkout.orders), ZERO),
        tax_total=sum((o.tax_due for o in checkout.orders), ZERO),
        freight_total=sum((o.freight for o in checkout.orders), ZERO),
        idempotency_key=f"payment-{uuid.uuid4().hex}",
    )
    db.session.add(payment)
    db.session.commit()
    return payment, _send_slip(payment, return_url)


def browser_key() -> str | None:
    """Return the publishable key of the account the tenant pays through, for Stripe.js."""
    return payment_provider().publishable_key


def _resume(live: Payment, method: str, return_url: str) -> PaymentIntentView | None:
    """Return the live payment's intent if it serves `method`; else cancel it at the provider."""
    view = (
        payment_provider().retrieve(live.reference)
        if live.reference
        else _send_slip(live, return_url)  # created, then lost: the key brings it back
    )
    if view.status in PAYABLE and live.method == method:
        return view
    if view.status == "succeeded":
        raise Refused(ErrorCode.ALREADY_PAID)  # its event is on the way
    if view.status != "canceled":
        try:
            payment_provider().cancel(live.reference)
        except PaymentError as error:
            paid = payment_provider().retrieve(live.reference).status == "succeeded"
            # paid meanwhile: never charge twice
            code = ErrorCode.ALREADY_PAID if paid else provider_code(error.code)
            raise Refused(code, error.message) from error
    live.status = "canceled"
    db.session.commit()
    return None


def _send_slip(payment: Payment, return_url: str) -> PaymentIntentView:
    orders = payment.checkout.orders
    buyer = orders[0]
    try:
        view = payment_provider().create_payment(
            PaymentSlip(
                order_numbers=tuple(o.number for o in orders),
                currency=payment.currency or "CNY",
                goods_total=payment.goods_total,
                tax_total=payment.tax_total,
                freight_total=payment.freight_total,
                amount_total=payment.amount,
                payer_name=buyer.buyer_name,
                payer_id_number=buyer.buyer_id_number,
                payer_phone=buyer.buyer_phone,
                method=payment.method,
                return_url=return_url,
                idempotency_key=payment.idempotency_key or f"payment-{payment.id}",
                metadata={
                    "checkout": payment.checkout.token,
                    "payment_id": str(payment.id),
                    "shop_url": return_url,
                },
            )
        )
    except PaymentError as error:
        payment.status, payment.failure = "failed", error.message
        db.session.commit()
        raise Refused(provider_code(error.code), error.message) from error
    # Our status: only the provider's state makes a payment "succeeded" (see `reconcile`).
    payment.reference, payment.status = view.reference, "requires_action"
    db.session.commit()
    return view


def record_event(event: PaymentEvent, plugin_id: str) -> tuple[ProviderEvent, int | None] | None:
    """Store a verified event once; return it with its tenant, or None for a replay."""
    row = ProviderEvent(
        provider=plugin_id,
        event_id=event.event_id,
        type=event.type,
        reference=event.reference,
        payload=event_to_json(event),
    )
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        db.session.rollback()
        return None
    with system_context():
        payment = _payment_for(event)
        tenant_id = payment.tenant_id if payment is not None else None
    if tenant_id is None:
        row.processed_at, row.outcome = utcnow(), "no payment with this reference"
    row_id = row.id
    db.session.commit()
    set_committed_value(row, "id", row_id)  # an id never changes: the caller reads it unloaded
    return row, tenant_id


def _payment_for(event: PaymentEvent) -> Payment | None:
    """Find the payment by the provider's reference, or by our id in the intent's metadata."""
    if event.reference:
        found = db.session.scalar(select(Payment).where(Payment.reference == event.reference))
        if found is not None:
            return found
    if event.payment_id and event.payment_id.isdigit() and len(event.payment_id) < 12:
        # a query, not session.get(): the identity map would skip the tenant filter
        found = db.session.scalar(select(Payment).where(Payment.id == int(event.payment_id)))
        if found is not None and found.reference in (None, event.reference):
            return found
    return None


def apply_event(event_row_id: int) -> str:
    """Apply a recorded event by reconciling its payment with the provider's current state."""
    row = db.session.get(ProviderEvent, event_row_id)
    if row is None or row.processed_at is not None:
        return "already processed"
    event = event_from_json(row.payload)
    payment = _payment_for(event)
    outcome = "ignored" if payment is None else reconcile(payment, event)
    row.processed_at, row.outcome = utcnow(), outcome[:200]
    db.session.commit()
    return outcome


def refresh_payment(order) -> None:
    """Ask the provider about the order's live payment (the shopper is back from paying)."""
    live = db.session.scalar(
        select(Payment).where(
            Payment.checkout_id == order.checkout_id,
            Payment.status.in_(LIVE),
            Payment.reference.is_not(None),
        )
    )
    if live is None:
        return
    try:
        reconcile(live)
    except PaymentError:  # the provider is unreachable: its event will come
        db.session.rollback()
        return
    db.session.commit()


def reconcile(payment: Payment, event: PaymentEvent | None = None) -> str:
    """Bring our payment and orders to the provider's state, once per state change."""
    locked(Checkout, payment.checkout_id)  # one payment of a checkout at a time
    payment = locked(Payment, payment.id)
    if payment.reference is None and event is not None:
        payment.reference = event.reference  # found by our id: the reference was never saved
    state = payment_provider().retrieve(payment.reference)
    outcomes = []
    if state.status == "succeeded" and payment.status not in ("succeeded", "refunded"):
        outcomes.append(settle(payment, state))
    elif state.status == "canceled" and payment.status in LIVE:
        payment.status = "canceled"
        outcomes.append("canceled")
    elif _failed(event) and payment.status in LIVE:
        payment.status = "failed"
        outcomes.append("payment failed")
    if payment.status == "succeeded":
        outcomes.append(book_provider_refunds(payment, state.refunded_amount, "provider"))
        if _lost_dispute(event) and not _disputed(payment):
            disputed = payment.refunded + (event.amount or ZERO)
            outcomes.append(book_provider_refunds(payment, disputed, "dispute"))
    return "; ".join(filter(None, outcomes)) or "no change"


def _failed(event: PaymentEvent | None) -> bool:
    return event is not None and event.type == "payment_intent.payment_failed"


def _lost_dispute(event: PaymentEvent | None) -> bool:
    return event is not None and event.type.startswith("charge.dispute.") and event.status == "lost"


def _disputed(payment: Payment) -> bool:
    """A charge is disputed once (Stripe): a second notice of the loss books nothing."""
    return (
        db.session.scalar(
            select(Refund.id).where(Refund.payment_id == payment.id, Refund.source == "dispute")
        )
        is not None
    )


def settle(payment: Payment, state: PaymentIntentView) -> str:
    """The provider took the money: mark the orders paid, or give it back at once."""
    if state.currency != payment.currency or state.amount != payment.amount:
        payment.failure = (
            f"paid {state.amount} {state.currency}, expected {payment.amount} {payment.currency}"
        )
        return "amount or currency mismatch: not marked paid"
    superseded = payment.status == "canceled"
    _record_return(payment, state)
    # fresh and locked: a shopper may be cancelling one of them right now
    orders = [locked(Order, order.id) for order in payment.checkout.orders]
    other_paid = db.session.scalar(
        select(Payment.id).where(
            Payment.checkout_id == payment.checkout_id,
            Payment.id != payment.id,
            Payment.status == "succeeded",
        )
    )
    pending = [o for o in orders if o.status == OrderStatus.PENDING_PAYMENT]
    if superseded or other_paid or not pending:
        return _refund_unwanted(payment, orders)
    for order in pending:
        reference = {"reference": payment.serial_number or payment.reference}
        transition_order(
            order, OrderStatus.PAID, Actor.SYSTEM, "payment", Reason.PAYMENT, reference
        )
        order.paid_at = payment.paid_at
    late = len(orders) - len(pending)
    return "paid" if not late else f"paid; {late} order(s) were no longer awaiting payment"


def _record_return(payment: Payment, state: PaymentIntentView) -> None:
    payment.status, payment.serial_number = "succeeded", state.serial_number
    payment.paid_at = utcnow()
    payer = state.payer
    payment.payer_name, payment.payer_account = payer.name, payer.account
    payment.payer_account_type, payment.payer_bank = payer.account_type, payer.bank_name
    if payer.name:  # buyer = payer, where the provider reports the payer (customs rule)
        buyer = payment.checkout.orders[0].buyer_name
        payment.payer_matches_buyer = payer.name.strip() == buyer.strip()


def _refund_unwanted(payment: Payment, orders) -> str:
    """A second charge for a checkout (superseded, already paid or cancelled): refund it all."""
    try:
        payment_provider().refund(payment.reference, payment.amount, f"unwanted-{payment.id}")
    except PaymentError as error:
        payment.failure = f"automatic refund failed: {error.message}"
        raise  # the job is retried; the event stays unprocessed
    payment.status, payment.refunded = "refunded", payment.amount
    for order in orders:
        log_order(
            order,
            "system",
            Reason.UNWANTED_PAYMENT_REFUNDED,
            {
                "reference": payment.serial_number or payment.reference,
                "amount": str(payment.amount),
            },
        )
    return f"unwanted payment refunded automatically ({payment.amount})"


def event_to_json(event: PaymentEvent) -> dict:
    """Keep the mapped event as JSON (Decimal and datetime as strings)."""
    return {
        key: (str(value) if isinstance(value, Decimal | datetime) else value)
        for key, value in asdict(event).items()
    }


def event_from_json(data: dict) -> PaymentEvent:
    def decimal(key):
        return Decimal(data[key]) if data.get(key) is not None else None

    def moment(key):
        return datetime.fromisoformat(data[key]) if data.get(key) else None

    return PaymentEvent(
        event_id=data["event_id"],
        type=data["type"],
        created=moment("created"),
        reference=data["reference"],
        status=data["status"],
        amount=decimal("amount"),
        currency=data["currency"],
        serial_number=data["serial_number"],
        processed_at=moment("processed_at"),
        exchange_rate=decimal("exchange_rate"),
        payer=PayerDetails(**data["payer"]),
        refunded_amount=decimal("refunded_amount"),
        payment_id=data.get("payment_id"),
    )
