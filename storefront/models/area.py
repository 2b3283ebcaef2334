"""Goods entering and leaving the bonded (supervised) area, and the monthly report of them
that customs wants by the 10th (seed 001 §12, Customs announcement 2014 No. 56)."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storefront.extensions import db
from storefront.models.types import Money, UTCDateTime, utcnow
from storefront.tenancy import TenantScoped


class AreaReport(TenantScoped, db.Model):
    """That a month's report was generated, when and by whom; its rows are the movements
    stamped with it (see storefront.services.area_reports)."""

    __tablename__ = "area_reports"
    __table_args__ = (UniqueConstraint("tenant_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date)  # the month's first day (China Standard Time)
    generated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    generated_by: Mapped[str] = mapped_column(String(200))  # "system" or the staff member


class BondedStockMovement(TenantScoped, db.Model):
    """Goods that entered ("in") or left ("out") the bonded warehouse, with what customs knew
    them as at that moment (a filing edited later does not rewrite a past month)."""

    __tablename__ = "bonded_stock_movements"
    __table_args__ = (
        # once per order line shipped (an order has one line per product), once per product
        # of an inbound note
        UniqueConstraint("tenant_id", "direction", "reference", "product_id"),
        CheckConstraint("direction IN ('in', 'out')", name="direction_known"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("value >= 0", name="value_not_negative"),
        Index("ix_bonded_stock_movements_tenant_at", "tenant_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    direction: Mapped[str] = mapped_column(String(3))
    quantity: Mapped[int]
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    # the order number ("out") or the merchant's inbound note / document number ("in")
    reference: Mapped[str] = mapped_column(String(60))
    order_line_id: Mapped[int | None] = mapped_column(ForeignKey("order_lines.id"), nullable=True)
    hs_code: Mapped[str] = mapped_column(String(10))
    record_no: Mapped[str] = mapped_column(String(30))
    unit: Mapped[str] = mapped_column(String(3))
    value: Mapped[Decimal] = mapped_column(Money)
    recorded_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # the month's report that includes it; None until that report is (re)generated
    area_report_id: Mapped[int | None] = mapped_column(
        ForeignKey("area_reports.id"), nullable=True, index=True
    )
    product = relationship("Product")
