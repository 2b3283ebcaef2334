"""Placements refused by a limit or mixing rule, counted by rule on the merchant's dashboard."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from storefront.extensions import db
from storefront.models.types import Money, UTCDateTime, utcnow
from storefront.tenancy import TenantScoped


class CheckoutRefusal(TenantScoped, db.Model):
    """One refused attempt to place an order: which rule, its limit and the amount.

    No shopper, name or ID number (PIPL data minimisation): the dashboard counts rules, not
    people.
    """

    __tablename__ = "checkout_refusals"
    __table_args__ = (Index("ix_checkout_refusals_tenant_refused_at", "tenant_id", "refused_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(24))  # ErrorCode: limit_exceeded, mixed_cart
    rule: Mapped[str] = mapped_column(String(32))  # ViolationCode or MixCode
    limit: Mapped[Decimal | None] = mapped_column(Money, nullable=True)  # None for mixing
    amount: Mapped[Decimal | None] = mapped_column(Money, nullable=True)  # the figure that broke it
    refused_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
