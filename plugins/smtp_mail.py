"""SMTP mail: the platform's mailer in production (smtplib, STARTTLS or TLS, optional login).

Errors become port errors that name no recipient (addresses are personal data and the job
log keeps the message): a refused recipient is `rejected`, a server that cannot be reached
or drops the line is `unavailable` (the job retries), a refused login is `bad_settings`.
"""

import smtplib
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from wtforms import Form, IntegerField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, NumberRange, Optional

from storefront.ports import N_, MailMessage, Port, PortError, PortUnavailable

SECURITY = ("starttls", "ssl", "none")
LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")
TIMEOUT_SECONDS = 20


class SmtpSettingsForm(Form):
    host = StringField(N_("SMTP server"), validators=[DataRequired(N_("This field is required."))])
    port = IntegerField(N_("Port"), default=587, validators=[NumberRange(1, 65535)])
    security = SelectField(
        N_("Encryption"),
        choices=[
            SelectChoice("starttls", "STARTTLS"),
            SelectChoice("ssl", "SSL/TLS"),
            SelectChoice("none", N_("None")),
        ],
        default="starttls",
    )
    username = StringField(N_("User name"), validators=[Optional()])
    password = PasswordField(N_("Password"), validators=[Optional()])
    sender = StringField(N_("Sender address"), validators=[DataRequired(), Email()])


class SmtpMailer:
    PLUGIN_ID = "smtp_mail"
    KIND = Port.MAIL
    SANDBOX = "sandbox_mail"
    SECRET_FIELDS = ("password",)
    SettingsForm = SmtpSettingsForm

    def __init__(self, host: str, port: int, security: str, sender: str, **login: str) -> None:
        if security not in SECURITY:
            raise PortError("bad_settings", f"unknown SMTP security {security!r}")
        if security == "none" and login.get("username") and host not in LOOPBACK_HOSTS:
            # a password in clear text only to a relay on this machine
            raise PortError("bad_settings", "SMTP login without encryption is for loopback only")
        self.host, self.port, self.security, self.sender = host, port, security, sender
        self.username = login.get("username") or ""
        self.password = login.get("password") or ""

    @classmethod
    def from_settings(cls, settings: Mapping[str, str]) -> "SmtpMailer":
        return cls(
            settings["host"],
            int(settings.get("port") or 587),
            settings.get("security") or "starttls",
            settings["sender"],
            username=settings.get("username") or "",
            password=settings.get("password") or "",
        )

    def send(self, message: MailMessage) -> str:
        """Send the message; return its Message-ID."""
        mail = self._compose(message)
        try:
            with self._connect() as smtp:
                if self.username:
                    smtp.login(self.username, self.password)
                smtp.send_message(mail)
        except smtplib.SMTPAuthenticationError as error:
            raise PortError("bad_settings", f"SMTP login refused ({error.smtp_code})") from None
        except smtplib.SMTPRecipientsRefused:
            raise PortError("rejected", "the SMTP server refused the recipients") from None
        except smtplib.SMTPNotSupportedError:
            raise PortError("bad_settings", "the SMTP server does not offer STARTTLS") from None
        except smtplib.SMTPResponseException as error:
            failure = PortUnavailable if 400 <= error.smtp_code < 500 else PortError
            raise failure("rejected", f"the SMTP server answered {error.smtp_code}") from None
        except (smtplib.SMTPException, OSError) as error:
            raise PortUnavailable("unavailable", f"SMTP: {type(error).__name__}") from None
        return mail["Message-ID"]

    def _connect(self) -> smtplib.SMTP:
        context = ssl.create_default_context()
        if self.security == "ssl":
            return smtplib.SMTP_SSL(self.host, self.port, timeout=TIMEOUT_SECONDS, context=context)
        smtp = smtplib.SMTP(self.host, self.port, timeout=TIMEOUT_SECONDS)
        if self.security == "starttls":
            try:  # never fall back to plain text when the upgrade is not offered
                smtp.starttls(context=context)
            except BaseException:
                smtp.close()
                raise
        return smtp

    def _compose(self, message: MailMessage) -> EmailMessage:
        if not message.to or any("@" not in address for address in message.to):
            raise PortError("bad_recipient", "every recipient needs an e-mail address")
        mail = EmailMessage()
        mail["From"] = self.sender
        mail["To"] = ", ".join(message.to)
        mail["Subject"] = message.subject
        mail["Date"] = formatdate(localtime=False)
        mail["Message-ID"] = make_msgid(domain=self.sender.rpartition("@")[2] or None)
        mail.set_content(message.text)
        if message.html:
            mail.add_alternative(message.html, subtype="html")
        return mail
