"""Outgoing merchant webhooks."""

from storefront.jobs import enqueue, tenant_job
from storefront.services.order_events import deliver_due


@tenant_job
def deliver_webhooks(tenant_id: int) -> None:
    """Send the store's due deliveries (rows are locked, so parallel workers share them)."""
    deliver_due()


def dispatch(tenant_id: int) -> None:
    """Schedule delivery of what the last commit queued (call after committing)."""
    enqueue(deliver_webhooks, tenant_id, queue="webhooks")
