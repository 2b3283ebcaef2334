"""Notification jobs."""

from storefront.jobs import tenant_job
from storefront.models.types import utcnow
from storefront.services.notifications import tell_once


@tenant_job
def welcome_shopper(tenant_id: int, shopper_id: int) -> None:
    """Greet a new shopper once (keyed, so a retried job writes nothing twice)."""
    tell_once(shopper_id, key="welcome", kind="welcome")


@tenant_job
def registration_attempted(tenant_id: int, shopper_id: int) -> None:
    """Tell a shopper someone tried to register their e-mail again (at most once a day)."""
    tell_once(shopper_id, key=f"registration-attempt:{utcnow():%Y-%m-%d}", kind="registration")
