"""The origins a merchant allows to embed its store in an iframe (SPEC §10)."""

from datetime import datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storefront.extensions import db
from storefront.models.types import UTCDateTime, utcnow
from storefront.tenancy import TenantScoped


class EmbedOrigin(TenantScoped, db.Model):
    """One allowed origin, normalised (storefront.domain.embedding.normalise_origin)."""

    __tablename__ = "embed_origins"
    __table_args__ = (UniqueConstraint("tenant_id", "origin", name="uq_embed_origins_origin"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    origin: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
