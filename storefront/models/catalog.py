"""Suppliers and products. A cart is split into one order per supplier (SPEC §3)."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storefront.extensions import db
from storefront.models.types import Money, Percent, UTCDateTime, utcnow
from storefront.tenancy import TenantScoped


class Supplier(TenantScoped, db.Model):
    """Ships its own goods; its freight rule applies once per order."""

    __tablename__ = "suppliers"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    freight: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    # Orders whose goods reach this amount ship free; None: never free.
    free_shipping_from: Mapped[Decimal | None] = mapped_column(Money, nullable=True)


class Product(TenantScoped, db.Model):
    """A product; a tax product carries one tax template and one tag (SPEC §2)."""

    __tablename__ = "products"
    __table_args__ = (
        UniqueConstraint("tenant_id", "sku"),
        CheckConstraint("price >= 0", name="price_not_negative"),
        CheckConstraint("stock >= 0", name="stock_not_negative"),
        CheckConstraint(
            "(tax_template_id IS NULL AND tax_tag IS NULL)"
            " OR (tax_template_id IS NOT NULL AND tax_tag IS NOT NULL)",
            name="tax_template_with_tag",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    price: Mapped[Decimal] = mapped_column(Money)
    stock: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    tax_template_id: Mapped[int | None] = mapped_column(
        ForeignKey("tax_templates.id"), nullable=True, index=True
    )
    tax_tag: Mapped[str | None] = mapped_column(String(30), nullable=True)
    # Overrides the store's commission rate for this product (percent); None: the store's.
    commission_rate: Mapped[Decimal | None] = mapped_column(Percent, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    supplier = relationship("Supplier")
    tax_template = relationship("TaxTemplate")

    @property
    def is_tax_product(self) -> bool:
        return self.tax_template_id is not None
