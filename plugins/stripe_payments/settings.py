"""The Stripe plugin's settings forms: a tenant's own account, or the local test server."""

from urllib.parse import urlsplit

from wtforms import Form, PasswordField, StringField
from wtforms.validators import DataRequired, Regexp, ValidationError

from storefront.ports import N_

LOOPBACK_HOSTS = ("127.0.0.1", "::1")


def webhook_secret_field() -> PasswordField:
    """The secret Stripe signs callbacks with (one per webhook endpoint)."""
    return PasswordField(
        N_("Webhook signing secret"),
        validators=[
            DataRequired(message=N_("This field is required.")),
            Regexp(r"^whsec_\S+$", message=N_("Signing secrets start with whsec_.")),
        ],
    )


class StripeSettingsForm(Form):
    secret_key = PasswordField(
        N_("Secret key"),
        validators=[
            DataRequired(message=N_("This field is required.")),
            Regexp(r"^(sk|rk)_(live|test)_\w+$", message=N_("Stripe keys start with sk_ or rk_.")),
        ],
    )
    publishable_key = StringField(
        N_("Publishable key"),
        validators=[
            DataRequired(message=N_("This field is required.")),
            Regexp(r"^pk_(live|test)_\w+$", message=N_("Publishable keys start with pk_.")),
        ],
    )
    webhook_secret = webhook_secret_field()


class LocalStripeSettingsForm(Form):
    api_base = StringField(
        N_("Local server address"), validators=[DataRequired(message=N_("This field is required."))]
    )
    webhook_secret = webhook_secret_field()

    def validate_api_base(self, field) -> None:
        # The local server is a test double: it must never be a host on the network.
        parts = urlsplit(field.data or "")
        if parts.scheme != "http" or parts.hostname not in LOOPBACK_HOSTS:
            raise ValidationError(N_("Use an http:// address on this machine (127.0.0.1)."))
