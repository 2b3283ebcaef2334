"""Promoters with referral codes and their commission records (返佣, seed 002 §2.4)."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storefront.extensions import db
from storefront.models.types import Money, Percent, UTCDateTime, utcnow
from storefront.tenancy import TenantScoped


class Promoter(TenantScoped, db.Model):
    """A shopper who shares a referral link of the store."""

    __tablename__ = "promoters"
    __table_args__ = (
        UniqueConstraint("tenant_id", "code"),
        UniqueConstraint("tenant_id", "shopper_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shopper_id: Mapped[int] = mapped_column(ForeignKey("shoppers.id"))
    code: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    shopper = relationship("Shopper")


class CommissionRecord(TenantScoped, db.Model):
    """Commission earned on a completed order (positive) or reversed by a refund (negative)."""

    __tablename__ = "commission_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    promoter_id: Mapped[int] = mapped_column(ForeignKey("promoters.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    base: Mapped[Decimal] = mapped_column(Money)
    rate: Mapped[Decimal] = mapped_column(Percent)
    amount: Mapped[Decimal] = mapped_column(Money)
    kind: Mapped[str] = mapped_column(String(10))  # earned | reversed
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    promoter = relationship("Promoter")
    order = relationship("Order")
