"""Customs upkeep across stores: collect what the transports received, move declarations on.

Run by `flask orders sweep` (cron) and the `flask customs` commands; each store's work runs
in its own tenant context, and a store's failing service never stops the others.
"""

import logging

from sqlalchemy import or_, select

from storefront.domain.customs.states import DocumentStatus, State
from storefront.domain.orders import OrderStatus
from storefront.extensions import db
from storefront.integrations import NotConfigured, registry
from storefront.models import CustomsDeclaration, CustomsDocument, Order, Tenant
from storefront.ports import Port, PortError, PortUnavailable
from storefront.services import customs
from storefront.services.customs_receipts import IngestReport, ingest
from storefront.tenancy import system_context, tenant_context

logger = logging.getLogger(__name__)
# States in which we must ask for something (waybill, outbound) or send the next document;
# in the others customs has the next word, unless a document is still to be sent (a crash).
ACTIVE = (State.AWAITING_WAYBILL, State.DOCUMENTS_ACCEPTED, State.RELEASED)


def collect_all() -> IngestReport:
    """Read every transport's inbox once, take the receipts in, and clear the inbox."""
    transports = {}
    for (tenant_id,) in db.session.execute(select(Tenant.id).where(Tenant.active)).all():
        try:
            transport = registry.get(Port.CUSTOMS_TRANSPORT, tenant_id)
        except NotConfigured:
            continue
        transports.setdefault(id(transport), transport)  # the platform's is shared
    report = IngestReport()
    for transport in transports.values():
        try:
            files = transport.collect()
        except PortError as error:
            logger.warning("customs inbox unavailable: %s", error.message)
            continue
        _merge(report, ingest([(item.name, item.content) for item in files]))
        for item in files:
            transport.acknowledge(item.name)
    return report


def _merge(total: IngestReport, part: IngestReport) -> None:
    counts = ("files", "receipts", "applied", "tax_bills", "tax_bills_stored", "duplicates")
    for name in (*counts, "unmatched"):
        setattr(total, name, getattr(total, name) + getattr(part, name))
    total.unreadable.extend(part.unreadable)
    total.to_advance |= part.to_advance


def due_declarations(order_number: str | None = None) -> list[tuple[int, int]]:
    """Return (tenant, declaration) of paid orders whose declaration can move on."""
    unsent = (
        select(CustomsDocument.id)
        .where(
            CustomsDocument.declaration_id == CustomsDeclaration.id,
            CustomsDocument.current,
            CustomsDocument.status == DocumentStatus.SENDING,
        )
        .exists()
    )
    query = (
        select(CustomsDeclaration.tenant_id, CustomsDeclaration.id)
        .join(Order, Order.id == CustomsDeclaration.order_id)
        .where(Order.status == OrderStatus.PAID, or_(CustomsDeclaration.state.in_(ACTIVE), unsent))
        .order_by(CustomsDeclaration.id)
    )
    if order_number:
        query = query.where(Order.number == order_number)
    with system_context():
        return [(row.tenant_id, row.id) for row in db.session.execute(query)]


def advance_each(pairs) -> dict[str, int]:
    """Advance each declaration in its store; count those moved, waiting and failed. The
    events of what moved (an order shipped) go to their subscribers once committed."""
    from storefront.jobs import dispatch_committed_events  # jobs import the services

    counts = {"advanced": 0, "waiting": 0, "failed": 0}
    for tenant_id, declaration_id in sorted(pairs):
        with tenant_context(tenant_id):
            try:
                waiting = customs.advance(declaration_id)
            except PortUnavailable as error:
                logger.warning("declaration %s: %s", declaration_id, error.message)
                counts["failed"] += 1
                continue
            except Exception:  # a defect in one declaration must not stop the others
                db.session.rollback()
                logger.exception("declaration %s: advancing failed", declaration_id)
                counts["failed"] += 1
                continue
        counts["waiting" if waiting else "advanced"] += 1
        dispatch_committed_events()
    return counts
