"""The plugin registry: which adapter serves each port for this deployment."""

from flask import current_app

from plugins.stripe_payments import StripePayments
from storefront.ports import PaymentProvider


def payment_provider() -> PaymentProvider:
    """Return the payment adapter configured for the platform (Stripe, or the local server)."""
    config = current_app.config
    if "payment_provider" not in current_app.extensions:
        if not config.get("STRIPE_SECRET_KEY"):
            raise RuntimeError("STRIPE_SECRET_KEY is not set: payments are not configured")
        current_app.extensions["payment_provider"] = StripePayments(
            config["STRIPE_SECRET_KEY"],
            config["STRIPE_WEBHOOK_SECRET"] or "",
            api_base=config.get("STRIPE_API_BASE"),
        )
    return current_app.extensions["payment_provider"]
