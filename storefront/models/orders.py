"""Orders: one per supplier group of a checkout, with lines and a transition log."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from storefront.crypto import identity_hash
from storefront.domain.identity import normalise_prc_id
from storefront.extensions import db
from storefront.models.types import Encrypted, Money, Percent, UTCDateTime, utcnow
from storefront.tenancy import TenantScoped


class Checkout(TenantScoped, db.Model):
    """What one shopper placed at once: one payment for all its orders."""

    __tablename__ = "checkouts"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(40), unique=True)  # the double-submit key
    shopper_id: Mapped[int] = mapped_column(ForeignKey("shoppers.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    orders = relationship("Order", back_populates="checkout", order_by="Order.id")


class Order(TenantScoped, db.Model):
    """An order of one supplier's goods; figures are computed server-side and frozen here."""

    __tablename__ = "orders"
    __table_args__ = (
        Index("ix_orders_tenant_status_placed", "tenant_id", "status", "placed_at"),
        CheckConstraint("total = goods_total + freight + tax_due", name="total_adds_up"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    checkout_id: Mapped[int] = mapped_column(ForeignKey("checkouts.id"), index=True)
    shopper_id: Mapped[int] = mapped_column(ForeignKey("shoppers.id"), index=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"))
    status: Mapped[str] = mapped_column(String(20))
    # tax: tag None is a non-tax order; rates are the template's, in percent, at placement
    tax_tag: Mapped[str | None] = mapped_column(String(30), nullable=True)
    tax_method: Mapped[str] = mapped_column(String(12))
    policy_code: Mapped[str] = mapped_column(String(20))
    tariff_rate: Mapped[Decimal | None] = mapped_column(Percent, nullable=True)
    consumption_rate: Mapped[Decimal | None] = mapped_column(Percent, nullable=True)
    vat_rate: Mapped[Decimal | None] = mapped_column(Percent, nullable=True)
    postal_rate: Mapped[Decimal | None] = mapped_column(Percent, nullable=True)
    goods_total: Mapped[Decimal] = mapped_column(Money)
    freight: Mapped[Decimal] = mapped_column(Money)
    tariff: Mapped[Decimal] = mapped_column(Money)
    consumption_tax: Mapped[Decimal] = mapped_column(Money)
    vat: Mapped[Decimal] = mapped_column(Money)
    tax_due: Mapped[Decimal] = mapped_column(Money)
    total: Mapped[Decimal] = mapped_column(Money)
    # buyer (real-name identity) and consignee, copied at placement
    buyer_name: Mapped[str] = mapped_column(String(60))
    # encrypted (PIPL: sensitive personal information); "" for a non-tax order
    buyer_id_number: Mapped[str] = mapped_column(Encrypted)
    buyer_id_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    buyer_phone: Mapped[str] = mapped_column(String(20))
    consignee: Mapped[str] = mapped_column(String(60))
    consignee_phone: Mapped[str] = mapped_column(String(20))
    consignee_address: Mapped[str] = mapped_column(String(300))
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    carrier: Mapped[str | None] = mapped_column(String(40), nullable=True)
    tracking_number: Mapped[str | None] = mapped_column(String(40), nullable=True)
    shipped_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    refunded: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"), server_default="0")
    promoter_id: Mapped[int | None] = mapped_column(ForeignKey("promoters.id"), nullable=True)
    platform_code: Mapped[str] = mapped_column(String(10), default="OTHER", server_default="OTHER")
    business_type: Mapped[int] = mapped_column(default=0, server_default="0")  # 1: enterprise
    shopper = relationship("Shopper")
    supplier = relationship("Supplier")
    checkout = relationship("Checkout", back_populates="orders")
    lines = relationship("OrderLine", back_populates="order", order_by="OrderLine.line_no")
    events = relationship("OrderEvent", back_populates="order", order_by="OrderEvent.id")

    @validates("buyer_id_number")
    def _normalise_and_hash(self, _key: str, number: str) -> str:
        number = normalise_prc_id(number)
        self.buyer_id_hash = identity_hash(number) if number else None
        return number


class OrderLine(TenantScoped, db.Model):
    __tablename__ = "order_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    line_no: Mapped[int]
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    sku: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    price: Mapped[Decimal] = mapped_column(Money)
    quantity: Mapped[int]
    amount: Mapped[Decimal] = mapped_column(Money)
    order = relationship("Order", back_populates="lines")


class OrderEvent(TenantScoped, db.Model):
    """One transition: who, when, from, to, why (SPEC §5)."""

    __tablename__ = "order_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))
    from_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    to_status: Mapped[str] = mapped_column(String(20))
    # a storefront.domain.orders.Reason code (older rows: free text) and its parameters
    reason: Mapped[str] = mapped_column(Text, default="")
    reason_params: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    order = relationship("Order", back_populates="events")
