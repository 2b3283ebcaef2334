"""E-invoices (SPEC §7, seed 003): the store's settings, shoppers' titles, each order's request,
the invoices issued (blue and red), their files and their timeline with the provider's answers."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    event,
    inspect,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storefront.extensions import db
from storefront.models.review_decisions import Reviewable
from storefront.models.types import Money, Percent, UTCDateTime, utcnow
from storefront.tenancy import TenantScoped


class InvoiceSettings(TenantScoped, Reviewable, db.Model):
    """The seller's constants of every invoice (seed 003 §二) and when to issue (§二.2, §三).

    It is the store's invoice issuer, reviewed by the platform operator with its tax
    registration certificate and the products it may invoice (seed 000 step 2(2)).
    """

    __tablename__ = "invoice_settings"
    __table_args__ = (UniqueConstraint("tenant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    payee_name: Mapped[str] = mapped_column(String(100))
    tax_number: Mapped[str] = mapped_column(String(18))  # unified social credit code
    address: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(40))
    drawer: Mapped[str] = mapped_column(String(40))  # payee_operator: 开票人
    tax_rate: Mapped[Decimal] = mapped_column(Percent)  # default rate, percent
    tax_code: Mapped[str] = mapped_column(String(19), default="")  # 税收分类编码
    short_name: Mapped[str] = mapped_column(String(40), default="")  # 税收分类简称
    trigger: Mapped[str] = mapped_column(String(12))  # paid | shipped | received | completed
    mode: Mapped[str] = mapped_column(String(5))  # sync | async
    platform_code: Mapped[str] = mapped_column(String(10), default="OTHER")  # seed 003 §七.2
    # tag -> eligible; "non_tax" for ordinary goods (SPEC §7: cross-border tags default off)
    eligibility: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(200), default="")
    # the tax registration certificate (税务登记证) the operator reviews, an uploaded document
    certificate_file_id: Mapped[int | None] = mapped_column(
        ForeignKey("stored_files.id"), nullable=True
    )


class InvoiceIssuerProduct(TenantScoped, db.Model):
    """A product the store's invoice issuer may invoice (seed 000 step 2(2): chosen by the
    merchant, approved with the issuer by the platform operator)."""

    __tablename__ = "invoice_issuer_products"
    __table_args__ = (UniqueConstraint("tenant_id", "product_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))


class ProductInvoicing(TenantScoped, db.Model):
    """A product's own rate, tax classification code and short name on invoices."""

    __tablename__ = "product_invoicing"
    __table_args__ = (UniqueConstraint("tenant_id", "product_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    tax_rate: Mapped[Decimal | None] = mapped_column(Percent, nullable=True)  # None: the store's
    tax_code: Mapped[str] = mapped_column(String(19), default="")
    short_name: Mapped[str] = mapped_column(String(40), default="")


class InvoiceTitle(TenantScoped, db.Model):
    """A title (抬头) a shopper saved: a person, or an enterprise with its tax ID."""

    __tablename__ = "invoice_titles"

    id: Mapped[int] = mapped_column(primary_key=True)
    shopper_id: Mapped[int] = mapped_column(ForeignKey("shoppers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # personal | enterprise
    name: Mapped[str] = mapped_column(String(100))
    tax_id: Mapped[str] = mapped_column(String(18), default="")
    is_default: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class InvoiceRequest(TenantScoped, db.Model):
    """What the shopper asked for an order: the title (a snapshot) and the medium."""

    __tablename__ = "invoice_requests"
    __table_args__ = (UniqueConstraint("tenant_id", "order_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    title_kind: Mapped[str] = mapped_column(String(10))  # personal | enterprise
    title_name: Mapped[str] = mapped_column(String(100))
    title_tax_id: Mapped[str] = mapped_column(String(18), default="")
    medium: Mapped[str] = mapped_column(String(10), default="electronic")  # | paper (once)
    state: Mapped[str] = mapped_column(String(10), default="waiting")  # RequestState
    # seed 003 §四: asking to change an issued electronic invoice to paper waits for the
    # merchant's review: "" never asked, requested, approved, declined (with the merchant's note)
    paper_state: Mapped[str] = mapped_column(String(10), default="", server_default="")
    paper_note: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # a red-letter reason owed to the current blue invoice by an exchange (seed 003 §七.1)
    redo_reason: Mapped[str | None] = mapped_column(String(2), nullable=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    order = relationship("Order")


class Invoice(TenantScoped, db.Model):
    """One blue or red invoice; written with its serial before the provider is called.

    Once it has a number it is never edited (`_keep_issued_invoices`): corrections are a red
    invoice and a new blue one (SPEC §7).
    """

    __tablename__ = "invoices"
    __table_args__ = (
        UniqueConstraint("tenant_id", "serial"),
        Index("ix_invoices_tenant_state", "tenant_id", "state", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    kind: Mapped[str] = mapped_column(String(4))  # blue | red
    medium: Mapped[str] = mapped_column(String(10), default="electronic")
    cause: Mapped[str] = mapped_column(String(12))  # Cause: why it was issued
    serial: Mapped[str] = mapped_column(String(40))  # our idempotency key at the provider
    state: Mapped[str] = mapped_column(String(10))  # InvoiceState
    number: Mapped[str | None] = mapped_column(String(20), nullable=True, index=True)
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    buyer_name: Mapped[str] = mapped_column(String(100))
    buyer_tax_id: Mapped[str] = mapped_column(String(18), default="")
    business_type: Mapped[int] = mapped_column(SmallInteger)  # 0 personal, 1 enterprise
    lines: Mapped[list] = mapped_column(JSON)  # the domain Draft's lines, amounts as strings
    total_amount: Mapped[Decimal] = mapped_column(Money)
    total_tax: Mapped[Decimal] = mapped_column(Money)
    total: Mapped[Decimal] = mapped_column(Money)
    remark: Mapped[str] = mapped_column(Text, default="")
    drawer: Mapped[str] = mapped_column(String(40))
    original_invoice_id: Mapped[int | None] = mapped_column(
        ForeignKey("invoices.id"), nullable=True
    )
    # the red-letter confirmation form (红字发票信息确认单) of a red invoice
    red_form_number: Mapped[str | None] = mapped_column(String(40), nullable=True)
    red_form_reason: Mapped[str | None] = mapped_column(String(2), nullable=True)  # 01-04
    red_form_state: Mapped[str | None] = mapped_column(String(20), nullable=True)
    provider: Mapped[str] = mapped_column(String(40), default="")
    provider_request_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    failure_code: Mapped[str | None] = mapped_column(String(40), nullable=True)
    failure_reason: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    order = relationship("Order")
    original = relationship("Invoice", remote_side=[id])
    files = relationship("InvoiceFile", back_populates="invoice", order_by="InvoiceFile.id")
    events = relationship("InvoiceEvent", back_populates="invoice", order_by="InvoiceEvent.id")


class InvoiceFile(TenantScoped, db.Model):
    """A file of an issued invoice (PDF, OFD, XML), the provider's or ours, kept as bytes.

    Bytes in the database: a few tens of kilobytes each, written in the same transaction as
    the invoice's issued state, shared by web and worker processes, under the tenant filter
    and row-level security like the invoice itself.
    """

    __tablename__ = "invoice_files"
    __table_args__ = (UniqueConstraint("tenant_id", "invoice_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    media_type: Mapped[str] = mapped_column(String(60))
    source: Mapped[str] = mapped_column(String(10))  # provider | ours
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    invoice = relationship("Invoice", back_populates="files")


class InvoiceEvent(TenantScoped, db.Model):
    """The invoice's timeline and provider log: who, when, what, the provider's answer."""

    __tablename__ = "invoice_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(30))  # EventAction
    from_state: Mapped[str | None] = mapped_column(String(10), nullable=True)
    to_state: Mapped[str | None] = mapped_column(String(10), nullable=True)
    answer: Mapped[dict | None] = mapped_column(JSON, nullable=True)  # the provider's, as given
    invoice = relationship("Invoice", back_populates="events")


class ImmutableInvoice(RuntimeError):
    """Something tried to change an issued invoice's content (SPEC §7: red + blue instead)."""


# What an invoice says: fixed once the tax bureau gave it a number.
FROZEN_FIELDS = (
    "order_id",
    "kind",
    "medium",
    "serial",
    "number",
    "issued_at",
    "buyer_name",
    "buyer_tax_id",
    "business_type",
    "lines",
    "total_amount",
    "total_tax",
    "total",
    "remark",
    "drawer",
    "original_invoice_id",
    "red_form_number",
)


@event.listens_for(Invoice, "before_update")
def _keep_issued_invoices(_mapper, _connection, target: Invoice) -> None:
    state = inspect(target)
    number = state.attrs.number.history
    issued_before = any(value is not None for value in (*number.unchanged, *number.deleted))
    if not issued_before:
        return
    changed = [name for name in FROZEN_FIELDS if state.attrs[name].history.has_changes()]
    if changed:
        raise ImmutableInvoice(f"invoice {target.id} is issued: {', '.join(changed)} fixed")
