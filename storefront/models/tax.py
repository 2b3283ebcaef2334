"""Tax templates (per tenant) and the dated limit policies (platform data, SPEC §3)."""

from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storefront.extensions import db
from storefront.models.types import Money, Percent
from storefront.tenancy import TenantScoped


class TaxTemplate(TenantScoped, db.Model):
    """A merchant's rates in percent: tariff, consumption tax, VAT, postal (行邮税)."""

    __tablename__ = "tax_templates"
    __table_args__ = (
        UniqueConstraint("tenant_id", "name"),
        CheckConstraint(
            "tariff_rate >= 0 AND tariff_rate < 100 AND consumption_rate >= 0"
            " AND consumption_rate < 100 AND vat_rate >= 0 AND vat_rate < 100"
            " AND postal_rate >= 0 AND postal_rate < 100",
            name="rates_in_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    tariff_rate: Mapped[Decimal] = mapped_column(Percent)
    consumption_rate: Mapped[Decimal] = mapped_column(Percent)
    vat_rate: Mapped[Decimal] = mapped_column(Percent)
    postal_rate: Mapped[Decimal] = mapped_column(Percent)


class LimitPolicyRow(db.Model):
    """A dated limit policy; tenants pick one by code, the platform default is `seed`."""

    __tablename__ = "limit_policies"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    effective_from: Mapped[date]
    order_limit: Mapped[Decimal] = mapped_column(Money)
    annual_limit: Mapped[Decimal] = mapped_column(Money)
    annual_counts_tax: Mapped[bool]
    direct_mail_limit: Mapped[Decimal] = mapped_column(Money)
    direct_mail_scope: Mapped[str] = mapped_column(String(10))
    single_item_over_order_limit: Mapped[bool]
