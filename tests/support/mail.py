"""What the platform's sandbox mailer sent, for tests that follow e-mailed links."""

import re
from urllib.parse import urlsplit

from storefront.integrations import registry
from storefront.ports import MailMessage, Port

LINK = re.compile(r"https?://\S+")


def sent_to(address: str) -> list[MailMessage]:
    """Return the messages sent to `address`, oldest first."""
    return [m for m in registry.get(Port.MAIL, None).outbox() if address in m.to]


def last_link(address: str) -> str:
    """Return the path (and query) of the link in the newest message to `address`."""
    message = sent_to(address)[-1]
    parts = urlsplit(LINK.findall(message.text)[0])
    return parts.path + (f"?{parts.query}" if parts.query else "")
