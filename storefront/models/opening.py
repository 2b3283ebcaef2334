"""A store's opening checklist (issue 13): the owner's explicit choices of a platform default."""

from datetime import datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storefront.extensions import db
from storefront.models.types import UTCDateTime, utcnow
from storefront.tenancy import TenantScoped


class OpeningChoice(TenantScoped, db.Model):
    """The owner chose the platform's own service for a port instead of settings of its own
    (a port with the store's own settings needs no choice)."""

    __tablename__ = "opening_choices"
    __table_args__ = (UniqueConstraint("tenant_id", "port"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    port: Mapped[str] = mapped_column(String(30))  # storefront.ports.Port
    chosen_by: Mapped[str] = mapped_column(String(200))
    chosen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
