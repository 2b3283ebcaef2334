"""Invitations of staff by e-mail link, and the platform's record of store suspensions."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storefront.extensions import db
from storefront.models.types import UTCDateTime, utcnow
from storefront.tenancy import TenantScoped


class StaffInvite(TenantScoped, db.Model):
    """An owner's invitation: the link's token is stored only as its SHA-256 hash."""

    __tablename__ = "staff_invites"
    __table_args__ = (UniqueConstraint("tenant_id", "token_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(10))
    locale: Mapped[str] = mapped_column(String(10), default="zh_CN")
    token_hash: Mapped[str] = mapped_column(String(64), index=True)
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    staff_user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), nullable=True)

    @property
    def pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None


class TenantAction(StrEnum):
    SUSPENDED = "suspended"
    REINSTATED = "reinstated"


class TenantStatusEvent(TenantScoped, db.Model):
    """Who suspended or reinstated the store, when and why (shown on its platform page)."""

    __tablename__ = "tenant_status_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(String(500))
    operator_id: Mapped[int] = mapped_column(ForeignKey("platform_operators.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
