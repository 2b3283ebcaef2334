"""Reconciliation (对账, SPEC §8, seed 004 [0016]-[0019]): each run, the transaction and tax
record of every cleared order, and the mismatches found, kept until resolved with a note."""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storefront.extensions import db
from storefront.models.customs import CustomsDeclaration
from storefront.models.orders import Order
from storefront.models.payments import Payment
from storefront.models.types import ExchangeRate, Money, UTCDateTime, utcnow
from storefront.tenancy import TenantScoped


class Kind(StrEnum):
    """What disagrees (issue 12, SPEC §8): each kind is found by one statement of the run."""

    PAID_NOT_DECLARED = "paid_not_declared"  # payment vs the order's total (411 amountPaid)
    TAX_DIFFERS = "tax_differs"  # tax withheld vs customs' tax bill (CEB816)
    PAYMENT_WITHOUT_ORDER = "payment_without_order"  # a provider charge matching no payment
    NO_RECEIPT = "no_receipt"  # a paid order customs never answered after N days
    REFUND_NOT_DECLARED = "refund_not_declared"  # refunded after release: no CEB625 exists
    SETTLEMENT_MISSING = "settlement_missing"  # a paid payment the provider has not settled


class Party(StrEnum):
    """Who owes whom when the tax withheld and the tax deducted differ."""

    BUYER = "buyer"
    MERCHANT = "merchant"


class ReconRun(TenantScoped, db.Model):
    """One reconciliation of a tenant's period: who ran it, when, and what it counted."""

    __tablename__ = "recon_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_from: Mapped[date] = mapped_column(Date)
    period_to: Mapped[date] = mapped_column(Date)  # inclusive, China Standard Time days
    run_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    who: Mapped[str] = mapped_column(String(200))
    counts: Mapped[dict] = mapped_column(JSON)  # orders, matched, mismatches by kind


class ReconRecord(TenantScoped, db.Model):
    """The transaction record (seed 004 [0018]) and tax record ([0019]) of one cleared order."""

    __tablename__ = "recon_records"
    __table_args__ = (
        UniqueConstraint("tenant_id", "order_id"),
        Index("ix_recon_records_tenant_released", "tenant_id", "released_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    released_at: Mapped[datetime] = mapped_column(UTCDateTime)  # customs released: the period
    # both records
    order_number: Mapped[str] = mapped_column(String(32))
    payment_serial: Mapped[str | None] = mapped_column(String(90), nullable=True)
    waybill_number: Mapped[str | None] = mapped_column(String(60), nullable=True)
    filing_serial: Mapped[str | None] = mapped_column(String(18), nullable=True)
    ordered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    tax_withheld: Mapped[Decimal] = mapped_column(Money)
    buyer_name: Mapped[str] = mapped_column(String(60))
    # the transaction record
    total_paid: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    goods_amount: Mapped[Decimal] = mapped_column(Money)
    settlement_currency: Mapped[str | None] = mapped_column(String(3), nullable=True)
    settlement_amount: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    exchange_rate: Mapped[Decimal | None] = mapped_column(ExchangeRate, nullable=True)
    freight: Mapped[Decimal] = mapped_column(Money)
    freight_currency: Mapped[str] = mapped_column(String(3))
    goods_and_freight: Mapped[Decimal] = mapped_column(Money)
    # the tax record: customs' electronic tax bill (CEB816)
    deducted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    tax_deducted: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    tax_refunded: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    # history: the run that wrote it first and last changed it, and the fields it changed
    first_run_id: Mapped[int] = mapped_column(ForeignKey("recon_runs.id"))
    changed_run_id: Mapped[int] = mapped_column(ForeignKey("recon_runs.id"))
    changes: Mapped[str] = mapped_column(Text, default="")  # "field,field," of that change


class ReconMismatch(TenantScoped, db.Model):
    """A disagreement between what was stored on each side, listed until resolved; resolving
    records who, when and why and never deletes the row (the audit trail)."""

    __tablename__ = "recon_mismatches"
    __table_args__ = (
        UniqueConstraint("tenant_id", "kind", "subject"),
        Index("ix_recon_mismatches_tenant_seen", "tenant_id", "kind", "subject_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))  # storefront.services.reconciliation.Kind
    subject: Mapped[str] = mapped_column(String(90))  # order number or payment reference
    subject_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the time that puts it in a period
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), nullable=True)
    expected: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    actual: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    difference: Mapped[Decimal | None] = mapped_column(Money, nullable=True)  # actual - expected
    owed_by: Mapped[str | None] = mapped_column(String(12), nullable=True)  # tax: who owes
    owed_to: Mapped[str | None] = mapped_column(String(12), nullable=True)
    detail: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    first_run_id: Mapped[int] = mapped_column(ForeignKey("recon_runs.id"))
    last_run_id: Mapped[int] = mapped_column(ForeignKey("recon_runs.id"))
    cleared_run_id: Mapped[int | None] = mapped_column(ForeignKey("recon_runs.id"), nullable=True)
    resolved_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")


# What the run's set-based matching reads by tenant and period (migration 0015 creates them):
# declarations cleared in the period, orders and payments paid in it.
Index(
    "ix_customs_declarations_tenant_released",
    CustomsDeclaration.tenant_id,
    CustomsDeclaration.released_at,
)
Index("ix_orders_tenant_paid", Order.tenant_id, Order.paid_at)
Index("ix_payments_tenant_paid", Payment.tenant_id, Payment.paid_at)
