"""The platform's e-mail for the operator's list, and the demo's sandbox outbox."""

from flask import current_app
from sqlalchemy import select

from storefront.extensions import db
from storefront.integrations import registry
from storefront.models import OutgoingMail
from storefront.ports import MailMessage, Port


def recent_mail(limit: int = 200) -> list[OutgoingMail]:
    """Return the latest messages, newest first (recipient, subject, delivery; no body)."""
    return db.session.scalars(
        select(OutgoingMail).order_by(OutgoingMail.id.desc()).limit(limit)
    ).all()


def demo_outbox_offered() -> bool:
    """The /outbox page exists only with the sandbox mailer and outside production: anyone
    who opens it reads every invitation and reset link."""
    config = current_app.config
    local = config["KUAJING_ENV"] == "development" or config.get("TESTING")
    return bool(local) and config["MAIL_TRANSPORT"] == "sandbox"


def demo_outbox() -> list[MailMessage]:
    """Return the sandbox mailer's messages, newest first."""
    return list(reversed(registry.get(Port.MAIL, None).outbox()))
