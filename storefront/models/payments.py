"""Payments (one per checkout attempt) and the log of verified provider events."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storefront.extensions import db
from storefront.models.types import ExchangeRate, Money, UTCDateTime, utcnow
from storefront.tenancy import TenantScoped


class Payment(TenantScoped, db.Model):
    """The payment slip sent and the payment return received (seed 004 [0021]-[0022])."""

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    checkout_id: Mapped[int] = mapped_column(ForeignKey("checkouts.id"), index=True)
    provider: Mapped[str] = mapped_column(String(20))
    method: Mapped[str] = mapped_column(String(20))
    reference: Mapped[str | None] = mapped_column(String(80), unique=True, nullable=True)
    # committed before the provider is called: a retry sends the same key, gets the same intent
    idempotency_key: Mapped[str | None] = mapped_column(String(80), nullable=True)
    status: Mapped[str] = mapped_column(String(30), default="created")
    amount: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    goods_total: Mapped[Decimal] = mapped_column(Money)
    tax_total: Mapped[Decimal] = mapped_column(Money)
    freight_total: Mapped[Decimal] = mapped_column(Money)
    refunded: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    # the payment return
    serial_number: Mapped[str | None] = mapped_column(String(80), nullable=True)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    exchange_rate: Mapped[Decimal | None] = mapped_column(ExchangeRate, nullable=True)
    payer_name: Mapped[str | None] = mapped_column(String(120), nullable=True)
    payer_account: Mapped[str | None] = mapped_column(String(120), nullable=True)
    payer_account_type: Mapped[str | None] = mapped_column(String(40), nullable=True)
    payer_bank: Mapped[str | None] = mapped_column(String(120), nullable=True)
    payer_matches_buyer: Mapped[bool | None] = mapped_column(nullable=True)
    failure: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    checkout = relationship("Checkout")


class ProviderEvent(db.Model):
    """Every verified webhook, once: a replay finds its row and changes nothing."""

    __tablename__ = "provider_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(20))
    event_id: Mapped[str] = mapped_column(String(80), unique=True)
    type: Mapped[str] = mapped_column(String(80))
    reference: Mapped[str | None] = mapped_column(String(80), nullable=True, index=True)
    payload: Mapped[dict] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    outcome: Mapped[str] = mapped_column(String(200), default="")


class Refund(TenantScoped, db.Model):
    """One refund of (part of) an order: from the console, the provider, a dispute or us."""

    __tablename__ = "refunds"
    __table_args__ = (UniqueConstraint("tenant_id", "idempotency_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    source: Mapped[str] = mapped_column(String(20))  # console | provider | dispute | automatic
    idempotency_key: Mapped[str] = mapped_column(String(120))
    provider_reference: Mapped[str | None] = mapped_column(String(80), nullable=True)
    who: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ProviderSettlement(db.Model):
    """One record of the payment provider's balance (a charge, refund, payout, fee ...).

    A platform table like ProviderEvent: a record that matches no payment belongs to no store.
    `account_tenant_id` says whose provider account it came from (None: the platform's).
    Pulled again, a record updates its row (found by transaction_id), never duplicates it.
    """

    __tablename__ = "provider_settlements"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(20))
    account_tenant_id: Mapped[int | None] = mapped_column(
        ForeignKey("tenants.id"), nullable=True, index=True
    )
    transaction_id: Mapped[str] = mapped_column(String(80), unique=True)
    type: Mapped[str] = mapped_column(String(40))  # charge | refund | payout | ...
    source: Mapped[str | None] = mapped_column(String(80), nullable=True)  # ch_ / re_ / po_
    payment_reference: Mapped[str | None] = mapped_column(String(80), nullable=True, index=True)
    amount: Mapped[Decimal] = mapped_column(Money)  # yuan; a refund is negative
    fee: Mapped[Decimal] = mapped_column(Money)
    net: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    available_on: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    payout_id: Mapped[str | None] = mapped_column(String(80), nullable=True)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
