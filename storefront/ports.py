"""Ports: what the core asks of the outside world, as Protocols and frozen dataclasses.

Plugins implement them and see nothing else of the application (no Flask, no ORM).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar, Protocol, Self


class Port(StrEnum):
    """The kinds of adapter a tenant chooses; a plugin's KIND is one of these."""

    PAYMENT = "payment"
    CUSTOMS_TRANSPORT = "customs_transport"
    CUSTOMS_SIGNER = "customs_signer"
    WAREHOUSE = "warehouse"
    INVOICE = "invoice"
    MAIL = "mail"


def N_(text: str) -> str:
    """Mark a plugin's label for translation; the console translates it when shown."""
    return text


class Plugin(Protocol):
    """What the registry needs of every plugin class, whatever its port."""

    PLUGIN_ID: ClassVar[str]
    KIND: ClassVar[Port]
    SANDBOX: ClassVar[str]  # the PLUGIN_ID of its sandbox twin (itself for a sandbox)
    SECRET_FIELDS: ClassVar[tuple[str, ...]]  # settings never shown back in full
    SettingsForm: ClassVar[type]  # a plain wtforms.Form over the settings

    @classmethod
    def from_settings(cls, settings: Mapping[str, str]) -> Self:
        """Build the adapter from its validated settings."""


class PortError(Exception):
    """A call to an adapter failed; `code` is stable, `message` is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class PortUnavailable(PortError):
    """The outside service cannot be reached now; retry later."""


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
    """Who paid, as the provider reports it (customs compares payer and buyer)."""

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
    """A refund the provider accepted."""

    reference: str
    status: str
    amount: Decimal


@dataclass(frozen=True)
class Settlement:
    """One record of the provider's balance: a charge, refund, payout, fee ... (seed 004 [0018]).

    Amounts are yuan; a refund or payout is negative, as the provider books it.
    """

    transaction_id: str
    type: str  # charge | refund | payout | adjustment | ...
    source: str | None  # the charge / refund / payout the record books
    payment_reference: str | None  # the PaymentIntent, if the record belongs to a payment
    amount: Decimal
    fee: Decimal
    net: Decimal
    currency: str
    created: datetime  # aware
    available_on: datetime | None = None
    payout_id: str | None = None


class PaymentError(PortError):
    """A payment call failed; `code` is stable, `message` is for people."""


class PaymentDeclined(PaymentError):
    """The card or wallet refused the payment."""


class InvalidSignature(PaymentError):
    """A callback's signature or body does not verify."""


class ProviderUnavailable(PaymentError, PortUnavailable):
    """The payment service cannot be reached now."""


class PaymentProvider(Protocol):
    PLUGIN_ID: ClassVar[str]
    SIGNATURE_HEADER: ClassVar[str]  # the request header `parse_event` verifies
    publishable_key: str | None  # the account's key the shopper's browser confirms cards with

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

    def settlements(self, created_from: datetime, created_to: datetime) -> tuple[Settlement, ...]:
        """Return every balance record created in [created_from, created_to], all pages."""


@dataclass(frozen=True)
class CustomsMessage:
    """A signed CEB message (e.g. CEB311 order) ready to send; `message_id` is its guid."""

    message_id: str
    message_type: str  # the root element's name, e.g. CEB311Message
    xml: bytes


@dataclass(frozen=True)
class InboundFile:
    """A file customs (or the e-port client) left for us: receipts, tax bills."""

    name: str
    content: bytes


class CustomsTransport(Protocol):
    def send(self, message: CustomsMessage) -> str:
        """Hand a signed message over; sending the same message_id again sends nothing new."""

    def collect(self) -> tuple[InboundFile, ...]:
        """Return the files waiting in the inbox, oldest first (they stay until acknowledged)."""

    def acknowledge(self, name: str) -> None:
        """Move a processed inbox file aside (a name already moved is ignored)."""


@dataclass(frozen=True)
class SignedXml:
    """An XML document with its enveloped signature and the signing certificate's id."""

    xml: bytes
    signature: str
    certificate_id: str


class CustomsSigner(Protocol):
    def sign(self, xml: bytes) -> SignedXml:
        """Add an enveloped XML-DSig signature made with the enterprise's key."""


@dataclass(frozen=True)
class TallyLine:
    """One SKU and quantity on a tally sheet."""

    sku: str
    quantity: int


@dataclass(frozen=True)
class TallySheet:
    """What the bonded warehouse picks and packs for one order (理货单)."""

    order_number: str
    lines: tuple[TallyLine, ...]
    consignee_name: str
    consignee_phone: str
    consignee_address: str


@dataclass(frozen=True)
class WaybillAnswer:
    """The warehouse's answer to a tally sheet: pending, or a waybill number, or refused."""

    request_id: str
    status: str  # pending | assigned | refused
    waybill_number: str | None = None
    note: str = ""


@dataclass(frozen=True)
class OutboundAnswer:
    """The warehouse's answer to an outbound request: the parcel left with a carrier."""

    request_id: str
    status: str  # pending | shipped | refused
    carrier: str | None = None  # a code of storefront.domain.shipping.CARRIERS
    tracking_number: str | None = None
    note: str = ""


class Warehouse(Protocol):
    def submit_tally(self, sheet: TallySheet) -> str:
        """Send a tally sheet; the same order's sheet again returns the same request id."""

    def waybill(self, request_id: str) -> WaybillAnswer:
        """Return the waybill answer for a tally sheet so far."""

    def request_outbound(self, waybill_number: str) -> str:
        """Ask to ship a parcel customs released; the same waybill again returns the same id."""

    def outbound(self, request_id: str) -> OutboundAnswer:
        """Return the outbound answer so far (carrier and tracking number once shipped)."""


# E-invoices (SPEC §7): today's fully digitalised invoices (数电票). A provider (Nuonuo, Baiwang,
# Aisino ...) accepts a request keyed by our serial and answers later, by poll or callback.
INVOICE_KINDS = ("blue", "red")
RED_REASONS = ("01", "02", "03", "04")  # 开票有误, 销货退回, 服务中止, 销售折让


@dataclass(frozen=True)
class InvoiceParty:
    """The seller or the buyer as printed on the invoice."""

    name: str
    tax_id: str = ""  # unified social credit code; "" for a person
    address: str = ""
    phone: str = ""


@dataclass(frozen=True)
class InvoiceLine:
    """One line as issued: amounts exclude tax; a discount line has no quantity or price."""

    kind: str  # goods | discount
    name: str
    quantity: Decimal | None
    unit_price: Decimal | None
    amount: Decimal
    tax: Decimal
    tax_rate: Decimal  # percent
    tax_code: str = ""
    spec: str = ""
    unit: str = ""


@dataclass(frozen=True)
class RedForm:
    """A red-letter confirmation form (红字发票信息确认单) for one blue invoice."""

    number: str
    reason: str  # one of RED_REASONS
    state: str  # confirmed | pending | refused


@dataclass(frozen=True)
class InvoiceRequest:
    """A blue invoice, or a red one cancelling `original_number` under `red_form`.

    `serial` is the caller's idempotency key: the same serial again is the same request.
    """

    serial: str
    kind: str  # blue | red
    order_number: str
    seller: InvoiceParty
    buyer: InvoiceParty
    lines: tuple[InvoiceLine, ...]
    total_amount: Decimal
    total_tax: Decimal
    total: Decimal
    drawer: str
    medium: str = "electronic"  # | paper
    business_type: int = 0  # 0 personal, 1 enterprise (seed 003 §七.4)
    platform_code: str = "OTHER"  # seed 003 §七.2
    remark: str = ""
    original_number: str | None = None
    red_form: RedForm | None = None


@dataclass(frozen=True)
class InvoiceFile:
    """A file of an issued invoice (XML, PDF or OFD)."""

    name: str
    media_type: str
    content: bytes


@dataclass(frozen=True)
class InvoiceResult:
    """Where an invoice request stands; number and files come with `issued`, code with
    `failed` (e.g. credit_exhausted, login_expired: fixable, then retried)."""

    request_id: str
    status: str  # pending | issued | failed
    serial: str = ""
    number: str | None = None
    issued_at: datetime | None = None
    files: tuple[InvoiceFile, ...] = ()
    code: str = ""
    message: str = ""


class InvalidCallback(PortError):
    """An invoice callback's signature or body does not verify."""


class InvoiceProvider(Protocol):
    PLUGIN_ID: ClassVar[str]
    SIGNATURE_HEADER: ClassVar[str]  # the request header `parse_callback` verifies

    def issue(self, request: InvoiceRequest) -> str:
        """Ask for a blue or red invoice; return the request id (the same for the same serial)."""

    def query(self, request_id: str) -> InvoiceResult:
        """Return the request's result so far."""

    def red_confirm(self, blue_number: str, reason: str) -> RedForm:
        """Fill the red-letter confirmation form for a blue invoice (again: the same form)."""

    def download(self, number: str) -> tuple[InvoiceFile, ...]:
        """Return the files of an issued invoice."""

    def parse_callback(self, raw_body: bytes, signature_header: str) -> InvoiceResult:
        """Verify a callback's signature over the raw body and map it, or raise InvalidCallback."""


@dataclass(frozen=True)
class MailMessage:
    """A plain-text e-mail, with an optional HTML part."""

    to: tuple[str, ...]
    subject: str
    text: str
    html: str | None = None


class Mailer(Protocol):
    def send(self, message: MailMessage) -> str:
        """Send a message; return the provider's message id."""
