"""Documents people upload (licences, ID copies, certificates): what we know of each file.

The bytes live in a file store (storefront.services.uploads) under a random key; the name a
person gave is kept for display only and never used as a path.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storefront.extensions import db
from storefront.models.types import UTCDateTime, utcnow


class StoredFile(db.Model):
    """One uploaded document. Not TenantScoped: an applicant's files have no tenant yet; rows
    of a tenant are walled by row-level security (migration 0020)."""

    __tablename__ = "stored_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int | None] = mapped_column(
        ForeignKey("tenants.id"), nullable=True, index=True
    )
    purpose: Mapped[str] = mapped_column(String(30))  # services.uploads.PURPOSES
    display_name: Mapped[str] = mapped_column(String(200))  # sanitised, for people only
    content_type: Mapped[str] = mapped_column(String(40))  # sniffed from the content
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    uploaded_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
