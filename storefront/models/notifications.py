"""In-page notifications for shoppers (order shipped, invoice ready, refund ready ...)."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storefront.extensions import db
from storefront.models.types import UTCDateTime, utcnow
from storefront.tenancy import TenantScoped


class Notification(TenantScoped, db.Model):
    """One message to a shopper. `key` makes sending idempotent; text is rendered per language."""

    __tablename__ = "notifications"
    __table_args__ = (UniqueConstraint("tenant_id", "shopper_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shopper_id: Mapped[int] = mapped_column(ForeignKey("shoppers.id"), index=True)
    key: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
