"""Ports: what the core asks of the outside world, as Protocols and frozen dataclasses.

Plugins implement them and see nothing else of the application (no Flask, no ORM).
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Protocol


@dataclass(frozen=True)
class PaymentSlip:
    """The payment slip of seed 004 [0021]: what is paid for and by whom."""

    order_numbers: tuple[str, ...]
    currency: str
    goods_total: Decimal
    tax_total: Decimal
    freight_total: Decimal
    amount_total: Decimal
    payer_name: str
    payer_id_number: str
    payer_phone: str
    method: str  # card | wechat_pay | alipay
    return_url: str
    idempotency_key: str
    metadata: dict = field(default_factory=dict)


@dataclass(frozen=True)
class PayerDetails:
    name: str | None = None
    account: str | None = None
    account_type: str | None = None
    bank_name: str | None = None


@dataclass(frozen=True)
class PaymentIntentView:
    """A payment's current state at the provider (what reconciliation trusts)."""

    reference: str
    status: str
    amount: Decimal
    currency: str
    client_secret: str | None = None
    next_action: str | None = None  # redirect | wechat_qr | confirm_card
    redirect_url: str | None = None
    qr_image_url: str | None = None
    qr_data: str | None = None
    refunded_amount: Decimal = Decimal("0.00")
    serial_number: str | None = None
    payer: PayerDetails = field(default_factory=PayerDetails)
    payment_id: str | None = None  # ours, from the metadata


@dataclass(frozen=True)
class PaymentEvent:
    """A verified provider event with the payment return of seed 004 [0022]."""

    event_id: str
    type: str
    created: datetime
    reference: str | None
    status: str | None
    amount: Decimal | None
    currency: str | None
    serial_number: str | None
    processed_at: datetime | None
    exchange_rate: Decimal | None
    payer: PayerDetails
    refunded_amount: Decimal | None = None
    payment_id: str | None = None  # ours, from the metadata: found even without a reference


@dataclass(frozen=True)
class RefundView:
    reference: str
    status: str
    amount: Decimal


class PaymentError(Exception):
    """A payment call failed; `code` is stable, `message` is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class PaymentDeclined(PaymentError):
    pass


class InvalidSignature(PaymentError):
    pass


class ProviderUnavailable(PaymentError):
    pass


class PaymentProvider(Protocol):
    def create_payment(self, slip: PaymentSlip) -> PaymentIntentView:
        """Create a payment for the slip; cards are confirmed by the provider's own page script."""

    def retrieve(self, reference: str) -> PaymentIntentView:
        """Return the payment's current state."""

    def cancel(self, reference: str) -> PaymentIntentView:
        """Cancel a payment not yet made, or raise if it can no longer be cancelled."""

    def refund(self, reference: str, amount: Decimal, idempotency_key: str) -> RefundView:
        """Refund all or part of a payment."""

    def parse_event(self, raw_body: bytes, signature_header: str) -> PaymentEvent:
        """Verify a webhook's signature over the raw body and map it, or raise."""
