"""Customs jobs: a paid cross-border order is declared without anyone's hand (SPEC §6)."""

from storefront.domain.events import DomainEvent
from storefront.jobs import enqueue_after_commit, tenant_job
from storefront.services import customs


@tenant_job
def advance_declaration(tenant_id: int, declaration_id: int) -> None:
    """Take the declaration's next steps; what is still awaited the sweep asks for again."""
    customs.advance(declaration_id)


def open_on_payment(event: DomainEvent) -> None:
    """Subscriber of order.paid: open the declaration and start it once this commits."""
    declaration_id = customs.open_declaration(event.order_id)
    if declaration_id is not None:
        enqueue_after_commit(advance_declaration, event.tenant_id, declaration_id, queue="customs")
