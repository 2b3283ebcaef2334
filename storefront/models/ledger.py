"""The platform-wide quota ledger (SPEC §3): per person, across every tenant.

A person is the keyed hash of the ID number, never the number itself. Each movement is a
row; a person's annual (and direct-mail daily) use is the sum of their movements.
"""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storefront.extensions import db
from storefront.models.types import Money, UTCDateTime, utcnow


class QuotaPerson(db.Model):
    """One row per person: the row placements lock so one person's checkouts queue up."""

    __tablename__ = "quota_persons"

    person_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class QuotaMovement(db.Model):
    """A reservation (+) or release (-) of a person's quota by an order."""

    __tablename__ = "quota_movements"
    __table_args__ = (
        Index("ix_quota_movements_person_year", "person_hash", "year"),
        Index("ix_quota_movements_person_day", "person_hash", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_hash: Mapped[str] = mapped_column(ForeignKey("quota_persons.person_hash"))
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    # a reservation of an order placed in the same use case is written with it, in one flush
    order = relationship("Order")
    year: Mapped[int]
    day: Mapped[date]
    annual_amount: Mapped[Decimal] = mapped_column(Money)
    day_amount: Mapped[Decimal] = mapped_column(Money)
    reason: Mapped[str] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
