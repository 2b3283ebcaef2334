"""Accounts of the people who run stores and the platform, and login throttling."""

from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from storefront.domain.passwords import password_problems
from storefront.extensions import db
from storefront.models.types import UTCDateTime, utcnow
from storefront.tenancy import TenantScoped


class WeakPassword(ValueError):
    """The password is too short or on the list of common passwords."""


class PasswordMixin:
    """A hashed password and a session version: sessions signed in before a bump end."""

    password_hash: Mapped[str] = mapped_column(String(256))
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # "kind" of account in session ids; each area of the site accepts only its own kind.
    SESSION_KIND = ""

    def set_password(self, password: str) -> None:
        """Hash a new password and end every session signed in with the old one."""
        if password_problems(password):
            raise WeakPassword()
        self.password_hash = generate_password_hash(password)
        self.end_sessions()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def end_sessions(self) -> None:
        self.session_version = (self.session_version or 0) + 1

    @property
    def session_scope(self) -> str:
        return str(self.tenant_id)

    def get_id(self) -> str:
        """Return "kind:scope:id:version", the session's claim checked on every request."""
        return f"{self.SESSION_KIND}:{self.session_scope}:{self.id}:{self.session_version}"


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
    SESSION_KIND = "staff"

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
    SESSION_KIND = "operator"

    @property
    def session_scope(self) -> str:
        return "platform"


class LoginCounter(db.Model):
    """Failed sign-ins of one account or client address in the current window.

    One row per key, incremented by an atomic upsert, so parallel guesses cannot all pass
    a check made before any of them was recorded.
    """

    __tablename__ = "login_counters"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
