"""The outbox: domain events written in the use case's transaction, dispatched after commit."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storefront.extensions import db
from storefront.models.types import UTCDateTime, utcnow
from storefront.tenancy import TenantScoped


class OutboxEvent(TenantScoped, db.Model):
    """An event waiting for (or done with) its subscribers; `done` lists those that ran."""

    __tablename__ = "outbox_events"
    __table_args__ = (Index("ix_outbox_events_pending", "tenant_id", "dispatched_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), nullable=True)
    # an event of an order placed in the same use case is written with it, in one flush
    order = relationship("Order")
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    done: Mapped[list] = mapped_column(JSON, default=list)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    dispatched_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
