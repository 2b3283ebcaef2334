"""Notification jobs."""

from storefront.jobs import tenant_job
from storefront.services.notifications import welcome


@tenant_job
def welcome_shopper(tenant_id: int, shopper_id: int) -> None:
    """Greet a new shopper once (keyed, so a retried job writes nothing twice)."""
    welcome(shopper_id)
