"""Product reviews written by shoppers after receipt."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storefront.extensions import db
from storefront.models.types import UTCDateTime, utcnow
from storefront.tenancy import TenantScoped


class Review(TenantScoped, db.Model):
    __tablename__ = "reviews"
    __table_args__ = (
        UniqueConstraint("tenant_id", "order_line_id"),
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_1_to_5"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    shopper_id: Mapped[int] = mapped_column(ForeignKey("shoppers.id"))
    rating: Mapped[int]
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
