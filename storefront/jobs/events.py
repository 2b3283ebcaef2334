"""The dispatcher of committed domain events (the outbox)."""

from storefront.jobs import enqueue, tenant_job
from storefront.jobs.hooks import deliver_webhooks
from storefront.services.outbox import dispatch_pending, take_ready_tenants


@tenant_job
def dispatch_events(tenant_id: int) -> None:
    """Run the subscribers of the tenant's due events; then send the webhooks they queued."""
    if dispatch_pending():
        enqueue(deliver_webhooks, tenant_id, queue="webhooks")


def dispatch_ready() -> None:
    """Queue a dispatcher for each tenant whose events were just committed."""
    for tenant_id in sorted(take_ready_tenants()):
        enqueue(dispatch_events, tenant_id, queue="events")
