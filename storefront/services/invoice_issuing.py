"""Talking to the tenant's e-invoice provider about rows `invoices.settle` wrote.

Each call happens under the invoice's row lock, after its row and serial were committed: two
workers never ask at once, and a worker killed before it recorded the answer is followed by
one that asks again with the same serial, which the provider answers with the same request.
A connection error (PortUnavailable) leaves the invoice as it was, to be asked again; a
refusal (an exhausted credit line, an expired drawer login ...) marks it failed with the
provider's reason until the merchant retries it.
"""

import logging

from sqlalchemy import select

from storefront.documents.einvoice import render_invoice_pdf, render_invoice_xml
from storefront.domain.errors import Refused
from storefront.domain.invoices.document import remark_for_red
from storefront.extensions import db
from storefront.integrations import registry
from storefront.models import Invoice, InvoiceFile, Tenant
from storefront.models.types import utcnow
from storefront.ports import InvoiceResult, Port, PortError, PortUnavailable
from storefront.services import invoice_issuer
from storefront.services.invoice_drafts import document_of, provider_request
from storefront.services.invoice_settings import current_settings
from storefront.services.invoices import SYSTEM, InvoiceState, log, settle
from storefront.services.locks import locked
from storefront.services.notifications import notify
from storefront.tenancy import require_tenant_id, tenant_context

logger = logging.getLogger(__name__)

S = InvoiceState
# the timeline's action for each state a red-letter form is answered in (SPEC §7)
RED_FORM_ACTIONS = {"confirmed": "red_form", "refused": "red_form_refused"}


def provider():
    """Return the invoice provider of the tenant in context (or the platform's sandbox)."""
    return registry.get(Port.INVOICE, require_tenant_id())


def advance_order(order_id: int) -> None:
    """Write what the order's invoices are missing and ask the provider for each."""
    for invoice_id in settle(order_id):
        issue(invoice_id)


def issue(invoice_id: int) -> None:
    """Ask the provider for a written invoice (a red one's form first); sync mode collects."""
    invoice = locked(Invoice, invoice_id)
    if invoice is None or invoice.state != S.REQUESTED:
        return
    settings, adapter = current_settings(), provider()
    held = invoice_issuer.refusal_for(invoice, settings)
    if held is not None:  # seed 000 step 2(2): only an approved issuer invoices
        _hold(invoice, held)
        db.session.commit()
        return
    try:
        unconfirmed = invoice.kind == "red" and invoice.red_form_state != "confirmed"
        if unconfirmed and not _confirm_red_form(invoice, adapter):
            db.session.commit()  # pending: the sweep asks again; refused: failed
            return
        request_id = adapter.issue(provider_request(invoice, settings))
    except PortUnavailable as down:
        _unreachable(invoice, "issue", down)
        return
    except PortError as refused:
        _fail(invoice, refused.code, refused.message)
        db.session.commit()
        return
    invoice.provider, invoice.provider_request_id = adapter.PLUGIN_ID, request_id
    _move(invoice, S.ISSUING, "accepted", {"request_id": request_id})
    db.session.commit()
    if settings.mode == "sync":  # seed 003 §三: request and result in one step
        collect(invoice_id)


def _confirm_red_form(invoice: Invoice, adapter) -> bool:
    """Fill (or ask again about) the red invoice's form; return whether it is confirmed.

    SPEC §7: an enterprise buyer confirms the form itself, so it may be pending for a while
    (the red invoice waits, written) or refused (the red invoice fails; the blue stays valid).
    The provider keeps one form per blue invoice, so asking again never fills a second one.
    """
    form = adapter.red_confirm(invoice.original.number, invoice.red_form_reason)
    known = (invoice.red_form_number, invoice.red_form_state)
    invoice.red_form_number, invoice.red_form_state = form.number, form.state
    # SPEC §7: the red invoice's remark names the blue invoice's number and the form's
    invoice.remark = remark_for_red(invoice.original.number, form.number)
    if (form.number, form.state) != known:  # the timeline shows each change, not each poll
        action = RED_FORM_ACTIONS.get(form.state, "red_form_pending")
        log(invoice, SYSTEM, action, invoice.state, invoice.state, {"number": form.number})
    if form.state == "refused":
        _fail(invoice, "red_form_refused", "购方拒绝了红字发票信息确认单")
    db.session.flush()
    return form.state == "confirmed"  # any other answer: still waiting for the buyer


def collect(invoice_id: int) -> bool:
    """Ask for an accepted invoice's result and record it; return whether it was issued."""
    invoice = locked(Invoice, invoice_id)
    if invoice is None or invoice.state != S.ISSUING:
        return False
    adapter = provider()
    try:
        result = adapter.query(invoice.provider_request_id)
        issued = result.status == "issued"
        files = (result.files or _provider_files(adapter, invoice, result.number)) if issued else ()
    except PortUnavailable as down:
        _unreachable(invoice, "query", down)
        return False
    except PortError as refused:
        _fail(invoice, refused.code, refused.message)
        db.session.commit()
        return False
    if result.status == "failed":
        _fail(invoice, result.code, result.message)
    elif issued:
        _issued(invoice, result, files)
    db.session.commit()
    if issued:
        advance_order(invoice.order_id)  # a red invoice issued: the new blue one follows
    return issued


def _provider_files(adapter, invoice: Invoice, number: str) -> tuple:
    """The provider's own files of an issued invoice, if it hands them over now. The tax
    bureau issued the invoice whatever happens here: a failed download must not mark it failed
    (our own PDF and XML are rendered from it in any case), it is logged instead."""
    try:
        return tuple(adapter.download(number))
    except PortError as error:
        log(invoice, SYSTEM, "download_failed", invoice.state, invoice.state, {"code": error.code})
        return ()


def _issued(invoice: Invoice, result: InvoiceResult, files) -> None:
    invoice.number, invoice.issued_at = result.number, result.issued_at or utcnow()
    for file in files:
        _attach(invoice, f"provider-{file.name}", file.media_type, file.content, "provider")
    document = document_of(invoice, current_settings())
    _attach(invoice, f"{invoice.number}.pdf", "application/pdf", render_invoice_pdf(document))
    _attach(invoice, f"{invoice.number}.xml", "application/xml", render_invoice_xml(document))
    _move(invoice, S.ISSUED, "issued", {"number": result.number})
    if invoice.kind == "red":
        blue = invoice.original
        log(blue, SYSTEM, "reversed", blue.state, S.REVERSED, {"red": result.number})
        blue.state, blue.updated_at = S.REVERSED, utcnow()
    order = invoice.order
    notify(
        order.shopper_id,
        f"invoice:{invoice.id}",
        "invoice",
        {"order_id": order.id, "number": order.number, "invoice": invoice.number},
    )


def _attach(invoice: Invoice, name: str, media_type: str, content: bytes, source="ours") -> None:
    db.session.add(
        InvoiceFile(
            invoice_id=invoice.id, name=name, media_type=media_type, source=source, content=content
        )
    )


def _move(invoice: Invoice, state: S, action: str, answer: dict | None = None) -> None:
    log(invoice, SYSTEM, action, invoice.state, state, answer)
    invoice.state, invoice.updated_at = state, utcnow()
    invoice.attempts += 1 if action == "accepted" else 0


def _fail(invoice: Invoice, code: str, message: str) -> None:
    invoice.failure_code, invoice.failure_reason = code, message
    _move(invoice, S.FAILED, "failed", {"code": code, "message": message})


def _hold(invoice: Invoice, held: Refused) -> None:
    """Keep the invoice back until the operator approves the issuer (release_held asks again)."""
    invoice.failure_code, invoice.failure_reason = held.code, held.message
    _move(invoice, S.FAILED, "held", {"code": held.code})


def _unreachable(invoice: Invoice, call: str, down: PortUnavailable) -> None:
    """Record the outage and keep the state: the sweep asks again (never failed for this)."""
    invoice.attempts += 1
    invoice.failure_reason = down.message
    log(invoice, SYSTEM, "unreachable", invoice.state, invoice.state, {"call": call})
    db.session.commit()


def retry(invoice_id: int, who: str, codes: tuple[str, ...] | None = None) -> None:
    """Ask again for a failed invoice under the same serial (the merchant fixed the cause);
    with `codes`, only one that failed for one of them."""
    invoice = locked(Invoice, invoice_id)
    failed = invoice is not None and invoice.state == S.FAILED
    if not failed or (codes is not None and invoice.failure_code not in codes):
        db.session.rollback()
        return
    log(invoice, who, "retried", invoice.state, S.REQUESTED)
    invoice.state, invoice.failure_code, invoice.failure_reason = S.REQUESTED, None, ""
    invoice.provider_request_id = None
    db.session.commit()
    issue(invoice_id)


def release_held(who: str) -> int:
    """Ask again for the store's invoices held back while its issuer was not approved (or a
    product not on its list); return how many were asked. Each is locked and retried only if
    still held, so two releases at once ask the provider once (the serial is the key)."""
    held = db.session.scalars(
        select(Invoice.id)
        .where(Invoice.state == S.FAILED, Invoice.failure_code.in_(invoice_issuer.HELD_CODES))
        .order_by(Invoice.id)
    ).all()
    db.session.rollback()
    codes = tuple(invoice_issuer.HELD_CODES)
    return sum(_step_alone(lambda i: retry(i, who, codes), invoice_id) for invoice_id in held)


def reverse_by_hand(order_id: int, note: str, who: str) -> int | None:
    """Reverse the order's issued blue invoice (reason 01 开票有误) with the merchant's note; a
    corrected blue invoice follows as usual. Return the red invoice's id, or None."""
    written = settle(order_id, manual=f"{who}: {note}")
    for invoice_id in written:
        issue(invoice_id)
    return written[0] if written else None


def accept_callback(result: InvoiceResult) -> int | None:
    """Record a verified callback on its invoice and commit; return the invoice to collect."""
    invoice = db.session.scalar(
        select(Invoice).where(Invoice.provider_request_id == result.request_id)
    )
    if invoice is None:
        return None
    answer = {"status": result.status, "number": result.number, "code": result.code}
    log(invoice, "provider", "callback", invoice.state, invoice.state, answer)
    db.session.commit()
    return invoice.id


def invoice_upkeep() -> dict[str, int]:
    """In every active store: ask again for invoices an outage, a crash or a red-letter form
    awaiting the buyer left written, and collect the results of accepted ones (asynchronous
    mode: seed 003 §三)."""
    counts = {"asked": 0, "collected": 0, "failed": 0}
    stores = db.session.scalars(select(Tenant.id).where(Tenant.active)).all()
    for tenant_id in stores:
        with tenant_context(tenant_id):
            for state, step, key in (
                (S.REQUESTED, issue, "asked"),
                (S.ISSUING, collect, "collected"),
            ):
                ids = db.session.scalars(select(Invoice.id).where(Invoice.state == state)).all()
                db.session.rollback()
                for invoice_id in ids:
                    counts[key if _step_alone(step, invoice_id) else "failed"] += 1
    return counts


def _step_alone(step, invoice_id: int) -> bool:
    """Run one invoice's step; a defect in one invoice must not stop the sweep of the others
    (it stays where it was, logged, and is tried again next time)."""
    try:
        step(invoice_id)
    except Exception:
        db.session.rollback()
        logger.exception("invoice %s: upkeep step failed", invoice_id)
        return False
    return True
