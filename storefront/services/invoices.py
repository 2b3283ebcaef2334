"""Which invoices an order should have, and the rows that get it there (SPEC §7, seed 003 §七.1).

`settle` compares the order with its issued blue invoice and writes what is missing: a blue
invoice once the order reached the merchant's trigger; a red one of the whole blue invoice when
the order was refunded or returned in full, refunded in part, exchanged, or its title or medium
changed, followed (once the red is issued) by a new blue for what remains. Rows are written
with their serial and committed before any provider is called (invoice_issuing), so a retry or
a killed worker finds the row and its serial, never a second invoice.
"""

from enum import StrEnum

from sqlalchemy import select

from storefront.domain.invoices.lines import draft_red
from storefront.domain.orders import OrderStatus
from storefront.extensions import db
from storefront.models import Invoice, InvoiceEvent, InvoiceRequest, InvoiceSettings, Order
from storefront.models.types import utcnow
from storefront.services.invoice_drafts import blue_draft, draft_of, lines_json
from storefront.services.invoice_settings import TRIGGERS, current_settings, eligible
from storefront.services.locks import locked


class InvoiceState(StrEnum):
    REQUESTED = "requested"  # written, not yet accepted by the provider
    ISSUING = "issuing"  # accepted: awaiting the provider's answer
    ISSUED = "issued"
    FAILED = "failed"  # the provider refused; retried by the merchant once fixed
    REVERSED = "reversed"  # a blue invoice a red one cancelled


class Cause(StrEnum):
    """Why an invoice was written (the red one's reason follows from it)."""

    TRIGGER = "trigger"
    REFUND = "refund"
    RETURN = "return"
    EXCHANGE = "exchange"
    TITLE = "title"
    PAPER = "paper"
    MANUAL = "manual"


class RequestState(StrEnum):
    WAITING = "waiting"  # no blue invoice yet (the trigger not reached, or one on its way)
    ISSUED = "issued"  # the order's blue invoice is issued
    CLOSED = "closed"  # nothing left to invoice (refunded or returned in full)


# A red-letter form's reason per cause (SPEC §7): 01 开票有误, 02 销货退回, 03 服务中止,
# 04 销售折让; a full refund of goods never shipped is 03.
REASONS = {
    Cause.RETURN: "02",
    Cause.EXCHANGE: "02",
    Cause.TITLE: "01",
    Cause.PAPER: "01",
    Cause.MANUAL: "01",
}
# Invoices still on their way or waiting for the merchant: nothing new until they settle.
UNSETTLED = (InvoiceState.REQUESTED, InvoiceState.ISSUING, InvoiceState.FAILED)
SYSTEM = "system"


def request_of(order_id: int) -> InvoiceRequest | None:
    """Return the shopper's invoice request for the order, if any."""
    return db.session.scalar(select(InvoiceRequest).where(InvoiceRequest.order_id == order_id))


def invoices_of(order_id: int) -> list[Invoice]:
    """Return the order's invoices, oldest first."""
    return list(
        db.session.scalars(select(Invoice).where(Invoice.order_id == order_id).order_by(Invoice.id))
    )


def settle(order_id: int, manual: str | None = None) -> list[int]:
    """Write the invoice the order is missing, if any, and commit; return the ids to issue.

    `manual` (the merchant's reason) reverses the current blue invoice by hand.
    """
    order = locked(Order, order_id)
    request, settings = request_of(order_id), current_settings()
    if order is None or request is None or settings is None:
        return []
    invoices = invoices_of(order_id)
    # eligibility decides whether the order is invoiced at all; once it is, refunds, returns
    # and title changes still correct it (SPEC §7: corrections are red + blue)
    if not invoices and not eligible(order, settings):
        return []
    if any(invoice.state in UNSETTLED for invoice in invoices):
        return []
    current = next(
        (i for i in invoices if i.kind == "blue" and i.state == InvoiceState.ISSUED), None
    )
    if current is not None:
        cause = Cause.MANUAL if manual else _red_cause(order, request, current)
        if cause is None:
            _set_request_state(request, RequestState.ISSUED)
            db.session.commit()
            return []
        red = _write_red(order, current, cause, settings, manual or "")
        request.redo_reason = None
        db.session.commit()
        return [red.id]
    if manual:  # nothing issued to reverse: the merchant's reversal writes no blue invoice
        return []
    if _remaining(order) <= 0:
        _set_request_state(request, RequestState.CLOSED)
        db.session.commit()
        return []
    if getattr(order, TRIGGERS[settings.trigger]) is None:
        return []
    blue = _write_blue(order, request, settings, _blue_cause(invoices))
    # seed 003 §七.1: an exchange reverses the blue invoice issued before it; one written
    # after it already describes the exchanged order
    request.redo_reason = None
    db.session.commit()
    return [blue.id]


def _remaining(order: Order):
    """What the order still charges: nothing once returned (SPEC §7: full return → red)."""
    return 0 if order.status == OrderStatus.RETURNED else order.total - order.refunded


def _red_cause(order: Order, request: InvoiceRequest, current: Invoice) -> Cause | None:
    """Say why the issued blue invoice must be reversed, or None when it still fits."""
    if order.status == OrderStatus.RETURNED:
        return Cause.RETURN
    if current.total != _remaining(order):
        return Cause.REFUND
    if request.redo_reason:
        return Cause.EXCHANGE
    title = (request.title_name, request.title_tax_id, _business_type(request))
    if title != (current.buyer_name, current.buyer_tax_id, current.business_type):
        return Cause.TITLE
    if request.medium != current.medium:
        return Cause.PAPER
    return None


def _red_reason(order: Order, cause: Cause) -> str:
    if cause != Cause.REFUND:
        return REASONS[cause]
    if _remaining(order) > 0:
        return "04"  # a partial refund is a sales allowance (销售折让)
    return "02" if order.shipped_at is not None else "03"  # 销货退回, or 服务中止 if never sent


def _blue_cause(invoices: list[Invoice]) -> Cause:
    """The new blue invoice continues the last red one's cause (the first: the trigger)."""
    reds = [invoice for invoice in invoices if invoice.kind == "red"]
    return Cause(reds[-1].cause) if reds else Cause.TRIGGER


def _business_type(request: InvoiceRequest) -> int:
    return 1 if request.title_kind == "enterprise" else 0  # seed 003 §七.4


def _write_blue(
    order: Order, request: InvoiceRequest, settings: InvoiceSettings, cause: Cause
) -> Invoice:
    draft = blue_draft(order, settings)
    sequence = sum(1 for invoice in invoices_of(order.id) if invoice.kind == "blue") + 1
    # seed 003 §七.2, §七.4: the order carries its channel and the buyer's type at issuance
    order.platform_code, order.business_type = settings.platform_code, _business_type(request)
    invoice = Invoice(
        order_id=order.id,
        kind="blue",
        medium=request.medium,
        cause=cause,
        serial=f"T{order.tenant_id}-O{order.id}-B{sequence}",
        state=InvoiceState.REQUESTED,
        buyer_name=request.title_name,
        buyer_tax_id=request.title_tax_id,
        business_type=_business_type(request),
        lines=lines_json(draft),
        total_amount=draft.total_amount,
        total_tax=draft.total_tax,
        total=draft.total,
        drawer=settings.drawer,
    )
    db.session.add(invoice)
    db.session.flush()
    log(invoice, SYSTEM, "written", None, InvoiceState.REQUESTED)
    return invoice


def _write_red(
    order: Order, blue: Invoice, cause: Cause, settings: InvoiceSettings, note: str
) -> Invoice:
    draft = draft_red(draft_of(blue))
    invoice = Invoice(
        order_id=order.id,
        kind="red",
        medium=blue.medium,
        cause=cause,
        serial=f"T{order.tenant_id}-O{order.id}-R{blue.id}",  # one red invoice per blue one
        state=InvoiceState.REQUESTED,
        buyer_name=blue.buyer_name,
        buyer_tax_id=blue.buyer_tax_id,
        business_type=blue.business_type,
        lines=lines_json(draft),
        total_amount=draft.total_amount,
        total_tax=draft.total_tax,
        total=draft.total,
        drawer=settings.drawer,
        original_invoice_id=blue.id,
        red_form_reason=_red_reason(order, cause),
    )
    db.session.add(invoice)
    db.session.flush()
    log(invoice, SYSTEM, "written", None, InvoiceState.REQUESTED, {"note": note} if note else None)
    return invoice


def _set_request_state(request: InvoiceRequest, state: RequestState) -> None:
    if request.state != state:
        request.state, request.updated_at = state, utcnow()


def log(
    invoice: Invoice,
    actor: str,
    action: str,
    from_state: str | None,
    to_state: str | None,
    answer: dict | None = None,
) -> None:
    """Add a line to the invoice's timeline (flush only)."""
    db.session.add(
        InvoiceEvent(
            invoice_id=invoice.id,
            actor=actor,
            action=action,
            from_state=from_state,
            to_state=to_state,
            answer=answer,
        )
    )
