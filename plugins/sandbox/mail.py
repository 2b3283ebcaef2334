"""Sandbox mail: messages are kept in an outbox (a folder or memory) that can be listed."""

from plugins.sandbox.base import Sandbox
from storefront.ports import MailMessage, Port, PortError


class SandboxMailer(Sandbox):
    PLUGIN_ID = "sandbox_mail"
    KIND = Port.MAIL
    SANDBOX = PLUGIN_ID
    SANDBOX_KINDS = ("outbox",)

    def send(self, message: MailMessage) -> str:
        """Keep the message in the outbox; `fail = reject` bounces it like a refused address."""
        self.check_available()
        if not message.to or any("@" not in address for address in message.to):
            raise PortError("bad_recipient", "every recipient needs an e-mail address")
        if self.rejecting:
            raise PortError("rejected", "the sandbox refused the recipients (as configured)")
        return self.new_request(
            "outbox",
            to=list(message.to),
            subject=message.subject,
            text=message.text,
            html=message.html,
        )

    def outbox(self) -> list[MailMessage]:
        """Return the messages sent so far, oldest first."""
        records = sorted(self.stores["outbox"].all(), key=lambda record: record["ready_at"])
        return [MailMessage(tuple(r["to"]), r["subject"], r["text"], r["html"]) for r in records]
