"""Outgoing merchant webhooks."""

from storefront.jobs import tenant_job
from storefront.services.order_events import deliver_due


@tenant_job
def deliver_webhooks(tenant_id: int) -> None:
    """Send the store's due deliveries (rows are locked, so parallel workers share them)."""
    deliver_due()
