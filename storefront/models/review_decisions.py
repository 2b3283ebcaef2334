"""The operator's review of any reviewable row (SPEC §9): its state columns and the history."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storefront.extensions import db
from storefront.models.types import UTCDateTime, utcnow


class Reviewable:
    """Mixin for every reviewable row; storefront.services.reviews alone writes these columns."""

    review_state: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Bumped on every submission: a decision names the version the operator saw, so nobody
    # approves values that changed after they opened the item.
    review_version: Mapped[int] = mapped_column(default=0)
    last_reason: Mapped[str] = mapped_column(Text, default="")


class ReviewDecision(db.Model):
    """One step of an item's review: who did what, when, from which state to which, and why.

    Not TenantScoped: an application has no tenant until it is approved. Tenants' rows are
    still walled by row-level security (migration 0020); merchants read the history of an
    item only after loading the item itself through the tenant filter.
    """

    __tablename__ = "review_decisions"
    __table_args__ = (Index("ix_review_decisions_subject", "kind", "subject_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))  # a kind registered with services.reviews
    subject_id: Mapped[int]
    tenant_id: Mapped[int | None] = mapped_column(
        ForeignKey("tenants.id"), nullable=True, index=True
    )
    action: Mapped[str] = mapped_column(String(16))  # ReviewAction
    from_state: Mapped[str] = mapped_column(String(16))  # ReviewState
    to_state: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(200))  # e-mail of the person
    actor_kind: Mapped[str] = mapped_column(String(12))  # operator | staff | applicant
    version: Mapped[int]  # the review_version this step concerned
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
