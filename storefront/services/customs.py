"""Declaring a paid cross-border order to customs (SPEC §6; seed 004 steps 5-10).

Each call of `advance` does what the declaration needs next and can be repeated at will:
the tally sheet to the bonded warehouse until it names the waybill; then the order, payment
and waybill messages; once customs accepted all three, the inventory list; once customs
released the goods, the outbound request, whose answer ships the order. Whatever leaves for
another system is first written down and committed (the document with its guid, the
warehouse's request id), so a worker killed half-way repeats the same request with the same
key and nothing is declared or shipped twice. The declaration row is locked for the step, so
two workers never take the same step together.
"""

from sqlalchemy import select

from storefront.domain.customs.receipts import DocumentKind
from storefront.domain.customs.states import (
    DocumentStatus,
    State,
    Step,
    declaration_state,
    kinds_to_send,
    needs_customs,
)
from storefront.domain.orders import OrderStatus
from storefront.extensions import db
from storefront.integrations import registry
from storefront.models import CustomsDeclaration, CustomsDocument, CustomsEvent, Order
from storefront.models.types import utcnow
from storefront.ports import (
    CustomsMessage,
    Port,
    PortError,
    PortUnavailable,
    TallyLine,
    TallySheet,
)
from storefront.queries import row_or_none
from storefront.services import customs_documents
from storefront.services.errors import NotFound
from storefront.services.locks import locked

SYSTEM = "system:customs"


def open_declaration(order_id: int) -> int | None:
    """Start the declaration of a paid composite-tag order (once); flush, do not commit."""
    order = row_or_none(Order, order_id)
    if order is None or not needs_customs(order.tax_tag):
        return None
    existing = db.session.scalar(
        select(CustomsDeclaration.id).where(CustomsDeclaration.order_id == order_id)
    )
    if existing:
        return existing
    declaration = CustomsDeclaration(order_id=order_id, state=State.AWAITING_WAYBILL)
    db.session.add(declaration)
    db.session.flush()
    log(declaration, None, SYSTEM, Step.OPENED)
    return declaration.id


def advance(declaration_id: int) -> bool:
    """Take the declaration's next step(s); return True while something is awaited."""
    declaration = locked(CustomsDeclaration, declaration_id)
    if declaration is None:
        raise NotFound("CustomsDeclaration")
    order = declaration.order
    if order.status != OrderStatus.PAID:  # cancelled or refunded meanwhile: nothing to do
        db.session.commit()
        return False
    try:
        waiting = _step(declaration, order)
    except (PortError, NotFound, customs_documents.InvalidMessage) as error:
        db.session.rollback()  # what was committed before the failure stays (see above)
        _note_failure(declaration_id, error)
        if isinstance(error, PortUnavailable):
            raise  # the job is retried with backoff; the sweep tries again too
        return False
    db.session.commit()
    return waiting


def _note_failure(declaration_id: int, error: Exception) -> None:
    """Show the merchant what stopped the declaration (the console's customs page)."""
    declaration = locked(CustomsDeclaration, declaration_id)
    code = getattr(error, "code", type(error).__name__)
    declaration.last_error = f"{code}: {getattr(error, 'message', error)}"
    db.session.commit()


def _step(declaration: CustomsDeclaration, order: Order) -> bool:
    if declaration.waybill_number is None:
        return _await_waybill(declaration, order)
    unsent = [doc for doc in current_documents(declaration) if doc.status == DocumentStatus.SENDING]
    if unsent:
        _send(declaration, unsent)
    state = State(declaration.state)
    if state == State.REJECTED:
        return False
    if state == State.RELEASED:
        return _ship(declaration, order)
    kinds = kinds_to_send(document_statuses(declaration))
    if kinds:
        written = customs_documents.write(declaration, order, kinds, app_type="1")
        if written:
            refresh_state(declaration, SYSTEM, Step.WRITTEN, {"documents": _kinds(written)})
            _checkpoint(declaration)  # written down before they leave
            unsent = [
                doc
                for doc in current_documents(declaration)
                if doc.status == DocumentStatus.SENDING
            ]
            _send(declaration, unsent)
    return State(declaration.state) != State.RELEASED


def _checkpoint(declaration: CustomsDeclaration) -> None:
    """Commit what is about to leave, then take the row lock again and reread the row and its
    documents: a worker that waited on the lock meanwhile may have moved the declaration on."""
    db.session.commit()
    locked(CustomsDeclaration, declaration.id)


def _await_waybill(declaration: CustomsDeclaration, order: Order) -> bool:
    warehouse = registry.get(Port.WAREHOUSE, declaration.tenant_id)
    if declaration.tally_request_id is None:
        declaration.tally_request_id = warehouse.submit_tally(_tally_sheet(order))
        _checkpoint(declaration)
        if declaration.waybill_number is not None:
            return _step(declaration, order)
    answer = warehouse.waybill(declaration.tally_request_id)
    if answer.status == "pending":
        return True
    if answer.status == "refused":
        declaration.last_error = f"warehouse: {answer.note}"
        reject(declaration, "warehouse_refused", answer.note, SYSTEM)
        return False
    declaration.waybill_number = answer.waybill_number
    log(declaration, declaration.state, SYSTEM, Step.WAYBILL, {"waybill": answer.waybill_number})
    db.session.flush()
    return _step(declaration, order)


def _tally_sheet(order: Order) -> TallySheet:
    return TallySheet(
        order_number=order.number,
        lines=tuple(TallyLine(line.sku, line.quantity) for line in order.lines),
        consignee_name=order.consignee,
        consignee_phone=order.consignee_phone,
        consignee_address=order.consignee_address,
    )


def _send(declaration: CustomsDeclaration, documents: list[CustomsDocument]) -> None:
    transport = registry.get(Port.CUSTOMS_TRANSPORT, declaration.tenant_id)
    for document in documents:
        message_type = f"CEB{document.kind}Message"
        transport.send(CustomsMessage(document.guid, message_type, document.xml.encode()))
        document.status, document.sent_at = DocumentStatus.SENT, utcnow()
    declaration.last_error = None
    refresh_state(declaration, SYSTEM, Step.SENT, {"documents": _kinds(documents)})


def _ship(declaration: CustomsDeclaration, order: Order) -> bool:
    from storefront.services.fulfilment import ship_released  # fulfilment imports this module

    warehouse = registry.get(Port.WAREHOUSE, declaration.tenant_id)
    if declaration.outbound_request_id is None:
        declaration.outbound_request_id = warehouse.request_outbound(declaration.waybill_number)
        _checkpoint(declaration)
        if order.status != OrderStatus.PAID:  # another worker shipped it meanwhile
            return False
    answer = warehouse.outbound(declaration.outbound_request_id)
    if answer.status == "pending":
        return True
    if answer.status == "refused":
        declaration.last_error = f"warehouse: {answer.note}"
        return False
    ship_released(order, answer.carrier, answer.tracking_number, SYSTEM)
    log(declaration, declaration.state, SYSTEM, Step.SHIPPED, {"carrier": answer.carrier})
    return False


def resend(declaration_id: int, who: str) -> None:
    """Correct and resend what customs rejected: fresh documents from today's data, appType 2
    and a later appTime (NOTES §4: -301014 ignores older messages). The order takes its quota
    again first (a rejection freed it); over a limit, the resend is refused."""
    declaration = locked(CustomsDeclaration, declaration_id)
    if declaration is None:
        raise NotFound("CustomsDeclaration")
    customs_documents.check_resendable(declaration)
    customs_documents.retake_quota(declaration.order)
    rejected = [
        doc for doc in current_documents(declaration) if doc.status == DocumentStatus.REJECTED
    ]
    for document in rejected:
        document.current = False
    kinds = tuple(DocumentKind(doc.kind) for doc in rejected)
    written = customs_documents.write(declaration, declaration.order, kinds, app_type="2")
    declaration.revision += 1
    declaration.reason_code, declaration.reason_text = None, ""
    refresh_state(declaration, who, Step.RESEND, {"documents": _kinds(written)})
    db.session.commit()


def reject(declaration: CustomsDeclaration, code: str, text: str, who: str) -> None:
    """Stop the declaration with customs' reason and free the shopper's quota (SPEC §6.3)."""
    from storefront.services import quota  # quota imports the order models only

    declaration.reason_code, declaration.reason_text = code, text
    previous = declaration.state
    declaration.state = State.REJECTED
    declaration.updated_at = utcnow()
    quota.release(declaration.order, reason="customs_rejected")
    log(declaration, previous, who, Step.REJECTED, {"code": code})


def current_documents(declaration: CustomsDeclaration) -> list[CustomsDocument]:
    return [doc for doc in declaration.documents if doc.current]


def document_statuses(declaration: CustomsDeclaration) -> dict[DocumentKind, DocumentStatus]:
    return {
        DocumentKind(doc.kind): DocumentStatus(doc.status) for doc in current_documents(declaration)
    }


def refresh_state(declaration, who: str, reason: str, params: dict | None = None) -> None:
    """Derive the state from the current documents and log it when it moved."""
    previous = declaration.state
    state = declaration_state(document_statuses(declaration))
    if state == State.REJECTED and previous != State.REJECTED:
        return  # a rejection moves through `reject`, which frees the quota
    declaration.state = state
    declaration.updated_at = utcnow()
    if state == State.RELEASED and declaration.released_at is None:
        declaration.released_at = utcnow()
    if state != previous or reason == Step.RESEND:
        log(declaration, previous, who, reason, params)


def log(declaration, previous: str | None, who: str, reason: str, params=None) -> None:
    db.session.add(
        CustomsEvent(
            declaration_id=declaration.id,
            at=utcnow(),
            actor=who,
            from_state=previous,
            to_state=declaration.state,
            reason=reason,
            params=params or None,
        )
    )


def _kinds(documents) -> str:
    return ",".join(doc.kind for doc in documents)
