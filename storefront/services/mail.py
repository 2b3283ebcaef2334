"""The platform's e-mail: queued in the use case's transaction, sent by a job after commit.

Mail is a platform port (SMTP in production, the sandbox outbox in the demo and tests), not a
tenant's choice. A message is a row until its job delivered it: a failed delivery stays
visible with its error in the platform console and can be sent again from there; an outage
(PortUnavailable) is also retried by the job queue.
"""

import logging
from urllib.parse import urlsplit

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from sqlalchemy import select

from storefront.extensions import db
from storefront.integrations import registry
from storefront.jobs import enqueue_after_commit
from storefront.models import OutgoingMail
from storefront.models.mail import MailStatus
from storefront.models.types import utcnow
from storefront.ports import Mailer, MailMessage, Port, PortError, PortUnavailable
from storefront.services.errors import NotFound
from storefront.tenancy import current_tenant_id

logger = logging.getLogger(__name__)
LOCALES = ("zh_CN", "en")


def send_mail(to: str, subject: str, text: str, html: str | None = None) -> OutgoingMail:
    """Queue a message; it is sent after the caller's commit (nothing if it rolls back)."""
    from storefront.jobs.mail import deliver_mail  # the job module imports this one

    mail = OutgoingMail(recipient=to, subject=subject[:200], text=text, html=html)
    db.session.add(mail)
    db.session.flush()
    enqueue_after_commit(deliver_mail, current_tenant_id(), mail.id, queue="notifications")
    return mail


def mail_link(endpoint: str, **values) -> str:
    """Return the absolute address of `endpoint` for a message: on PUBLIC_URL when set.

    Never on the request's Host header when PUBLIC_URL is set: a client choosing it would
    otherwise receive another person's reset or invitation token on its own server.
    """
    base = current_app.config.get("PUBLIC_URL")
    if not base:  # development: the address the request came to
        return url_for(endpoint, _external=True, **values)
    parts = urlsplit(base)
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme
    )
    current_app.inject_url_defaults(endpoint, values)
    return adapter.build(endpoint, values, force_external=True)


def send_template(to: str, locale: str | None, template: str, subject, **context) -> None:
    """Render mail/<template>.txt and .html in the recipient's language and queue the message.

    `subject` is a lazy_gettext text, translated here; Chinese unless the recipient chose
    English.
    """
    with force_locale(locale if locale in LOCALES else LOCALES[0]):
        send_mail(
            to,
            str(subject),
            render_template(f"mail/{template}.txt", **context),
            render_template(f"mail/{template}.html", **context),
        )


def deliver(mail_id: int) -> None:
    """Send one queued message through the platform's mailer (once: a sent row is skipped)."""
    mail = db.session.scalar(
        select(OutgoingMail).where(OutgoingMail.id == mail_id).with_for_update(skip_locked=True)
    )
    if mail is None or mail.status == MailStatus.SENT:
        db.session.rollback()
        return
    mailer: Mailer = registry.get(Port.MAIL, None)
    try:
        message = MailMessage((mail.recipient,), mail.subject, mail.text or "", mail.html)
        provider_id = mailer.send(message)
    except PortError as error:
        mail.status, mail.attempts = MailStatus.FAILED, mail.attempts + 1
        mail.last_error = f"{error.code}: {error.message}"[:200]
        db.session.commit()
        logger.warning("mail %s not sent: %s", mail_id, error.code)
        if isinstance(error, PortUnavailable):
            raise  # the queue retries with backoff
        return
    mail.status, mail.attempts, mail.sent_at = MailStatus.SENT, mail.attempts + 1, utcnow()
    mail.provider_id, mail.last_error = provider_id[:200], None
    mail.text = mail.html = None  # the links inside are secrets: kept only until sent
    db.session.commit()


def retry(mail_id: int) -> None:
    """Send a failed message again (the operator's retry); the job runs after commit."""
    from storefront.jobs.mail import deliver_mail

    mail = db.session.scalar(select(OutgoingMail).where(OutgoingMail.id == mail_id))
    if mail is None:
        raise NotFound("OutgoingMail")
    if mail.status != MailStatus.FAILED:
        return
    mail.status = MailStatus.QUEUED
    enqueue_after_commit(deliver_mail, None, mail.id, queue="notifications")
    db.session.commit()
