"""E-mail the platform sends (invitations, password resets), kept until delivered."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from storefront.extensions import db
from storefront.models.types import Encrypted, UTCDateTime, utcnow


class MailStatus(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


class OutgoingMail(db.Model):
    """One message through the platform's mailer (a platform port: not tenant-owned).

    The body carries sign-in links and names: it is stored encrypted and dropped once the
    message is sent; the operator's list shows recipient, subject and delivery only.
    """

    __tablename__ = "outgoing_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    text: Mapped[str | None] = mapped_column(Encrypted, nullable=True)
    html: Mapped[str | None] = mapped_column(Encrypted, nullable=True)
    status: Mapped[str] = mapped_column(String(10), default=MailStatus.QUEUED, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(200), nullable=True)
    provider_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
