"""The tenant: one merchant's store."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storefront.extensions import db
from storefront.models.types import Percent, UTCDateTime, utcnow


class Tenant(db.Model):
    __tablename__ = "tenants"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    default_locale: Mapped[str] = mapped_column(String(10), default="zh_CN")
    limit_policy_code: Mapped[str] = mapped_column(
        ForeignKey("limit_policies.code"), default="seed"
    )
    active: Mapped[bool] = mapped_column(default=True)
    # Set while the platform operator has suspended the store (storefront closed, console
    # read-only, nothing deleted); the reasons are in tenant_status_events.
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # When the owner opened the store to shoppers from the onboarding checklist; a store
    # approved from an application stays unopened (an "opening soon" page, no orders) until then.
    # Stores made any other way (the demo, the command line) are open from the start.
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, default=utcnow)
    # Commission (返佣) paid to promoters on completed orders, percent of goods.
    commission_rate: Mapped[Decimal] = mapped_column(
        Percent, default=Decimal(0), server_default="0"
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Bumped with every change of the store's allowed embedding origins (services.embedding):
    # web processes keep the list with their view of this row (queries.stores) and read it
    # again when the row they re-read each request says it changed.
    embedding_version: Mapped[int] = mapped_column(default=0, server_default="0")

    def __repr__(self) -> str:
        return f"<Tenant {self.slug}>"
