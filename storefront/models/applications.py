"""A merchant's application to join the platform (seed 000 step 1, SPEC §9) and its account.

Neither is TenantScoped: the applicant has no store until the operator approves; the store
created then is named by `MerchantApplication.tenant_id`.
"""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from storefront.extensions import db
from storefront.models.accounts import PasswordMixin
from storefront.models.review_decisions import Reviewable
from storefront.models.types import Encrypted, UTCDateTime, utcnow

# The documents seed 000 step 1 asks for, by the upload purpose they are stored under.
DOCUMENTS = ("business_licence", "legal_person_id", "tax_registration", "agreement")
# Review states in which an application holds its store address (not rejected, and an
# approved one's address is its store's).
OPEN_STATES = ("draft", "submitted", "needs_changes")
HOLDS_SLUG = "store_slug <> '' AND review_state IN ('draft', 'submitted', 'needs_changes')"


class Applicant(PasswordMixin, UserMixin, db.Model):
    """Someone applying for a store: signs in only to the application pages."""

    __tablename__ = "applicants"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # set when the applicant opened the link mailed to `email` (services.applicant_email):
    # approval makes this address a store owner's login, so it must be the applicant's own
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    SESSION_KIND = "applicant"

    @property
    def session_scope(self) -> str:
        return "join"


class MerchantApplication(Reviewable, db.Model):
    """One applicant's application: the company, its contact, the store asked for, and the
    four documents (StoredFile ids). storefront.services.reviews writes its review state."""

    __tablename__ = "merchant_applications"
    __table_args__ = (
        # two applications in review cannot ask for one address (the service checks first;
        # this settles two submissions at the same moment)
        Index(
            "uq_merchant_applications_open_slug",
            "store_slug",
            unique=True,
            postgresql_where=text(HOLDS_SLUG),
            sqlite_where=text(HOLDS_SLUG),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id"), unique=True)
    company_name: Mapped[str] = mapped_column(String(200), default="")
    credit_code: Mapped[str] = mapped_column(String(18), default="", index=True)
    legal_person: Mapped[str] = mapped_column(String(80), default="")
    contact_name: Mapped[str] = mapped_column(String(80), default="")
    contact_phone: Mapped[str] = mapped_column(Encrypted, default="")  # personal data (PIPL)
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    store_name: Mapped[str] = mapped_column(String(120), default="")
    store_slug: Mapped[str] = mapped_column(String(40), default="")
    business_licence_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    legal_person_id_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    tax_registration_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    # the store created when the operator approved (one store per application)
    tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenants.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def document_ids(self) -> dict[str, int | None]:
        """Return each required document's StoredFile id (None while missing)."""
        return {purpose: getattr(self, _column(purpose)) for purpose in DOCUMENTS}

    def set_document(self, purpose: str, stored_file_id: int) -> None:
        """Name the StoredFile kept as one of the four documents."""
        setattr(self, _column(purpose), stored_file_id)


def _column(purpose: str) -> str:
    if purpose not in DOCUMENTS:
        raise ValueError(f"not an application document: {purpose!r}")
    return f"{purpose}_id"
