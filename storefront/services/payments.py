"""Paying for a checkout and applying the provider's verified events, exactly once.

The success page never marks an order paid: only a verified `payment_intent.succeeded`
event does (SPEC §4), and a replayed or late event changes nothing.
"""

from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from storefront.domain.orders import Actor, OrderStatus, Reason
from storefront.extensions import db
from storefront.integrations import payment_provider
from storefront.jobs.hooks import dispatch
from storefront.models import Checkout, Payment, ProviderEvent
from storefront.models.types import utcnow
from storefront.ports import (
    PayerDetails,
    PaymentError,
    PaymentEvent,
    PaymentIntentView,
    PaymentSlip,
)
from storefront.services.orders import transition_order
from storefront.tenancy import system_context

ZERO = Decimal("0.00")
METHODS = ("card", "wechat_pay", "alipay")


class PaymentRefused(Exception):
    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(code)
        self.code, self.message = code, message


@dataclass(frozen=True)
class CardInput:
    number: str
    exp_month: int
    exp_year: int
    cvc: str


def start_payment(
    checkout: Checkout, method: str, card: CardInput | None, return_url: str
) -> tuple[Payment, PaymentIntentView]:
    """Send the payment slip to the provider; the orders stay unpaid until its event."""
    orders = checkout.orders
    if method not in METHODS:
        raise PaymentRefused("unknown_method")
    if not orders or any(o.status != OrderStatus.PENDING_PAYMENT for o in orders):
        raise PaymentRefused("not_payable")
    payment = Payment(
        checkout_id=checkout.id,
        provider="stripe",
        method=method,
        amount=checkout.amount,
        goods_total=sum((o.goods_total for o in orders), ZERO),
        tax_total=sum((o.tax_due for o in orders), ZERO),
        freight_total=sum((o.freight for o in orders), ZERO),
    )
    db.session.add(payment)
    db.session.commit()
    provider, buyer = payment_provider(), orders[0]
    try:
        card_method = None
        if method == "card":
            card_method = provider.create_card_method(
                card.number, card.exp_month, card.exp_year, card.cvc
            )
        view = provider.create_payment(
            PaymentSlip(
                order_numbers=tuple(o.number for o in orders),
                currency="CNY",
                goods_total=payment.goods_total,
                tax_total=payment.tax_total,
                freight_total=payment.freight_total,
                amount_total=payment.amount,
                payer_name=buyer.buyer_name,
                payer_id_number=buyer.buyer_id_number,
                payer_phone=buyer.buyer_phone,
                method=method,
                return_url=return_url,
                idempotency_key=f"payment-{payment.id}",
                card_payment_method=card_method,
                metadata={"checkout": checkout.token},
            )
        )
    except PaymentError as error:
        payment.status, payment.failure = "failed", error.message
        db.session.commit()
        raise PaymentRefused(error.code, error.message) from error
    # Our status: only the verified event makes a payment "succeeded" (see `_mark_paid`).
    payment.reference = view.reference
    payment.status = "requires_action" if view.next_action else "submitted"
    db.session.commit()
    return payment, view


def finish_authentication(payment: Payment, client_secret: str, success: bool) -> None:
    """Answer the local payment server's 3-D Secure challenge (demo and tests only)."""
    payment_provider().complete_authentication(payment.reference, client_secret, success)


def record_event(event: PaymentEvent) -> tuple[ProviderEvent, int | None] | None:
    """Store a verified event once; return it with its tenant, or None for a replay."""
    row = ProviderEvent(
        provider="stripe",
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
        tenant_id = (
            db.session.scalar(select(Payment.tenant_id).where(Payment.reference == event.reference))
            if event.reference
            else None
        )
    if tenant_id is None:
        row.processed_at, row.outcome = utcnow(), "no payment with this reference"
    db.session.commit()
    return row, tenant_id


def apply_event(event_row_id: int) -> str:
    """Apply a recorded event to its payment and orders; idempotent and order-tolerant."""
    row = db.session.get(ProviderEvent, event_row_id)
    if row is None or row.processed_at is not None:
        return "already processed"
    event = event_from_json(row.payload)
    payment = db.session.scalar(select(Payment).where(Payment.reference == event.reference))
    outcome = "ignored"
    if payment is not None:
        if event.type == "payment_intent.succeeded":
            outcome = _mark_paid(payment, event)
        elif event.type == "payment_intent.payment_failed" and payment.status != "succeeded":
            payment.status, outcome = "failed", "payment failed"
        elif event.type == "charge.refunded" and event.refunded_amount is not None:
            payment.refunded = max(payment.refunded, event.refunded_amount)
            outcome = f"refunded {payment.refunded}"
    row.processed_at, row.outcome = utcnow(), outcome
    db.session.commit()
    if payment is not None:
        dispatch(payment.tenant_id)
    return outcome


def _mark_paid(payment: Payment, event: PaymentEvent) -> str:
    if payment.status == "succeeded":
        return "already paid"
    if event.amount != payment.amount:
        payment.failure = f"paid {event.amount}, expected {payment.amount}"
        return "amount mismatch: not marked paid"
    orders = payment.checkout.orders
    payment.status, payment.serial_number = "succeeded", event.serial_number
    payment.paid_at = event.processed_at or utcnow()
    payment.exchange_rate = event.exchange_rate
    payer = event.payer
    payment.payer_name, payment.payer_account = payer.name, payer.account
    payment.payer_account_type, payment.payer_bank = payer.account_type, payer.bank_name
    if payer.name:  # buyer = payer, where the provider reports the payer (customs rule)
        payment.payer_matches_buyer = payer.name.strip() == orders[0].buyer_name.strip()
    late = [o for o in orders if o.status != OrderStatus.PENDING_PAYMENT]
    for order in orders:
        if order.status == OrderStatus.PENDING_PAYMENT:
            transition_order(
                order,
                OrderStatus.PAID,
                Actor.SYSTEM,
                "payment",
                Reason.PAYMENT,
                {"reference": event.serial_number or payment.reference},
            )
            order.paid_at = payment.paid_at
    return "paid" if not late else f"paid; {len(late)} order(s) were no longer awaiting payment"


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
    )
