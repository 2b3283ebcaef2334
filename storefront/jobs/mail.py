"""Mail delivery job: the platform's mailer, after the commit that queued the message."""

from storefront.jobs import tenant_job
from storefront.services import mail


@tenant_job
def deliver_mail(tenant_id: int | None, mail_id: int) -> None:
    """Send a queued message (the tenant, if any, is the store it was sent for)."""
    mail.deliver(mail_id)
