"""Invoice jobs: each order event that may change what the order's invoices should be starts
`advance_order` after the event's commit (SPEC §7: blue on the trigger; red, then blue, after
refunds, returns, exchanges)."""

from storefront.domain.events import DomainEvent, EventName
from storefront.domain.orders import OrderStatus
from storefront.domain.reviews import ReviewState
from storefront.jobs import enqueue_after_commit, tenant_job
from storefront.services import invoice_issuing
from storefront.services.invoice_issuer import ISSUER_KIND
from storefront.services.invoices import request_of

INVOICE_EVENTS = frozenset(
    {
        EventName.ORDER_PAID,
        EventName.ORDER_SHIPPED,
        EventName.ORDER_RECEIVED,
        EventName.ORDER_COMPLETED,
        EventName.ORDER_REFUNDED,
        EventName.ORDER_RETURNED,
        EventName.REFUND_MADE,
    }
)
REVIEW_EVENTS = frozenset({EventName.REVIEW_DECIDED})
EXCHANGE_REASON = "02"  # 销货退回: the goods came back, a replacement went out


@tenant_job
def advance_order_invoices(tenant_id: int, order_id: int) -> None:
    """Write and issue what the order's invoices are missing (idempotent: rows by serial)."""
    invoice_issuing.advance_order(order_id)


@tenant_job
def collect_invoice(tenant_id: int, invoice_id: int) -> None:
    """Ask the provider for an accepted invoice's result (after its callback)."""
    invoice_issuing.collect(invoice_id)


@tenant_job
def release_held_invoices(tenant_id: int) -> None:
    """Issue the invoices held back until the store's invoice issuer was approved."""
    invoice_issuing.release_held("platform review")


def on_review_decided(event: DomainEvent) -> None:
    """Subscriber: once the operator approves the store's invoice issuer, release the invoices
    it held back after this commits (seed 000 step 2(2): approved issuers invoice)."""
    approved = event.data.get("to_state") == ReviewState.APPROVED
    if event.data.get("kind") == ISSUER_KIND and approved:
        enqueue_after_commit(release_held_invoices, event.tenant_id, queue="orders")


def on_order_event(event: DomainEvent) -> None:
    """Subscriber: note an exchange (换货: shipped again from received), then advance the
    order's invoices once this commits."""
    request = request_of(event.order_id)
    if request is None:
        return
    exchanged = event.data.get("previous") == OrderStatus.RECEIVED
    if event.name == EventName.ORDER_SHIPPED and exchanged:
        request.redo_reason = EXCHANGE_REASON  # seed 003 §七.1: red, then a new blue
    enqueue_after_commit(advance_order_invoices, event.tenant_id, event.order_id, queue="orders")
