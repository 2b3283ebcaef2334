"""Payment jobs."""

from storefront.jobs import tenant_job
from storefront.services.payments import apply_event


@tenant_job
def apply_payment_event(tenant_id: int, event_row_id: int) -> None:
    """Apply a recorded provider event (keyed by the event, so a retry changes nothing)."""
    apply_event(event_row_id)
