"""The JSON API's own rows: shopper tokens, merchant API keys, idempotency records, carts.

Secrets (tokens, keys) are stored as their SHA-256 only: a stolen table signs nobody in.
"""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storefront.extensions import db
from storefront.models.types import UTCDateTime, utcnow
from storefront.tenancy import TenantScoped


class ApiToken(TenantScoped, db.Model):
    """A shopper's bearer token for one store; it ends at expiry, revocation or a sign-out."""

    __tablename__ = "api_tokens"
    __table_args__ = (UniqueConstraint("tenant_id", "token_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shopper_id: Mapped[int] = mapped_column(ForeignKey("shoppers.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    # The shopper's session version when issued: a password change or sign-out ends it too.
    session_version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    shopper = relationship("Shopper")


class ApiKey(TenantScoped, db.Model):
    """A merchant's key for server-to-server calls: read, or read and write."""

    __tablename__ = "api_keys"
    __table_args__ = (UniqueConstraint("tenant_id", "key_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    scope: Mapped[str] = mapped_column(String(5))
    prefix: Mapped[str] = mapped_column(String(12))  # shown in the list to tell keys apart
    key_hash: Mapped[str] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class IdempotencyRecord(TenantScoped, db.Model):
    """One Idempotency-Key of one credential: the request's hash, then the stored answer.

    The unique constraint is the lock: of two requests with one key, one inserts the row
    and runs, the other finds it (in flight, or answered) and never runs the use case.
    """

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("tenant_id", "credential", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    credential: Mapped[str] = mapped_column(String(80))
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[int | None] = mapped_column(nullable=True)  # None: still running
    body: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ApiCart(TenantScoped, db.Model):
    """A cart kept on the server for API callers: a shopper's own, or an anonymous one whose
    random public id is the only way to reach it."""

    __tablename__ = "api_carts"
    __table_args__ = (
        UniqueConstraint("tenant_id", "public_id"),
        UniqueConstraint("tenant_id", "shopper_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32))
    shopper_id: Mapped[int | None] = mapped_column(ForeignKey("shoppers.id"), nullable=True)
    # [[product id, quantity], ...] in the order lines were added (as the session cart)
    items: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
