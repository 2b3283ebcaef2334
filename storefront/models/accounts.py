"""Accounts of the people who run stores and the platform, and login throttling."""

from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from storefront.extensions import db
from storefront.models.types import UTCDateTime, utcnow
from storefront.tenancy import TenantScoped


class PasswordMixin:
    password_hash: Mapped[str] = mapped_column(String(256))

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


class StaffRole(StrEnum):
    OWNER = "owner"
    STAFF = "staff"


class StaffUser(TenantScoped, PasswordMixin, UserMixin, db.Model):
    """A merchant's staff member. E-mail is unique platform-wide: it is the login."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(10), default=StaffRole.STAFF)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    tenant = relationship("Tenant")

    def get_id(self) -> str:
        return f"staff:{self.id}"

    @property
    def is_owner(self) -> bool:
        return self.role == StaffRole.OWNER


class PlatformOperator(PasswordMixin, UserMixin, db.Model):
    """Someone at the SaaS operator: reviews merchants and sees every tenant."""

    __tablename__ = "platform_operators"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    active: Mapped[bool] = mapped_column(default=True)

    def get_id(self) -> str:
        return f"operator:{self.id}"


class LoginAttempt(db.Model):
    """A failed sign-in, counted per account key and per client address."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
