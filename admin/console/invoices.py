"""Invoices in the merchant console (SPEC §7, seed 003): the list with filters and exports, one
invoice with its lines, files, red-letter form and timeline, and the merchant's actions: retry
a failed one, reverse one by hand with a reason, issue an order's missing invoice now."""

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_timezone, to_user_timezone
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from admin.console import bp
from admin.console.messages import console_messages
from admin.console.orders import invalid_dates, query_date
from admin.exports import export_response
from storefront.domain.errors import ErrorCode
from storefront.extensions import db
from storefront.input_hardening import page_number
from storefront.queries import invoices as invoice_queries
from storefront.queries import orders as order_queries
from storefront.services import invoice_issuing, invoice_requests
from storefront.services.invoice_issuer import HELD_CODES
from storefront.services.invoice_requests import InvoiceRefused, PaperState
from storefront.services.invoice_settings import current_settings, eligible
from storefront.services.invoices import UNSETTLED, invoices_of, request_of

STATE_LABELS = {
    "requested": _l("Requested"),
    "issuing": _l("Being issued"),
    "issued": _l("Issued"),
    "failed": _l("Issue failed"),
    "reversed": _l("Reversed by a red invoice"),
}
KIND_LABELS = {"blue": _l("Blue invoice"), "red": _l("Red invoice")}
CAUSE_LABELS = {
    "trigger": _l("Order reached the trigger status"),
    "refund": _l("Refund"),
    "return": _l("Return"),
    "exchange": _l("Exchange"),
    "title": _l("Title change"),
    "paper": _l("Change to paper"),
    "manual": _l("By hand"),
}
# The red-letter confirmation form's reasons (SPEC §7)
RED_REASONS = {
    "01": _l("01 Invoicing error"),
    "02": _l("02 Goods returned"),
    "03": _l("03 Service stopped"),
    "04": _l("04 Sales allowance"),
}
MEDIUM_LABELS = {"electronic": _l("Electronic"), "paper": _l("Paper")}
# The timeline's actions (storefront/services/invoices.py log calls)
EVENT_LABELS = {
    "written": _l("Invoice written"),
    "accepted": _l("Accepted by the provider"),
    "issued": _l("Issued"),
    "failed": _l("Refused by the provider"),
    "red_form": _l("Red-letter form confirmed"),
    "red_form_pending": _l("Red-letter form awaiting the buyer's confirmation"),
    "red_form_refused": _l("Red-letter form refused by the buyer"),
    "paper_approved": _l("Paper invoice approved"),
    "paper_declined": _l("Paper invoice declined"),
    "reversed": _l("Reversed"),
    "unreachable": _l("Provider unreachable, asked again later"),
    "download_failed": _l("Issued; the provider's own files could not be fetched"),
    "callback": _l("Provider callback"),
    "retried": _l("Retried"),
    "held": _l("Held back: the store cannot issue invoices yet"),
}
# The red-letter form's states (SPEC §7: an enterprise buyer confirms it itself)
RED_FORM_STATES = {
    "pending": _l("Awaiting the buyer's confirmation"),
    "confirmed": _l("Confirmed"),
    "refused": _l("Refused by the buyer"),
}
WORDS = {
    "state": STATE_LABELS,
    "kind": KIND_LABELS,
    "cause": CAUSE_LABELS,
    "red_reason": RED_REASONS,
    "medium": MEDIUM_LABELS,
    "event": EVENT_LABELS,
    "red_form": RED_FORM_STATES,
}


def word(group: str, code: str | None) -> str:
    """Name an invoice code of a group (state, kind, cause, red_reason, medium, event,
    red_form)."""
    return str(WORDS[group].get(code or "", code or "—"))


def failure_text(invoice) -> str:
    """Say why a failed invoice was not issued: held back by the platform's review of the
    invoice issuer (seed 000 step 2(2)), or refused by the provider."""
    if invoice.failure_code in HELD_CODES:
        return console_messages()[ErrorCode(invoice.failure_code)]
    return _(
        "The provider refused: %(reason)s", reason=invoice.failure_reason or invoice.failure_code
    )


@bp.route("/invoices")
def invoices():
    filters = _filters()
    for value in invalid_dates():
        flash(_("“%(value)s” is not a date (YYYY-MM-DD): it was not used.", value=value), "error")
    page = request.args.get("page", 1, type=page_number)
    listing = invoice_queries.invoices(filters, page, current_app.config["PAGE_SIZE"])
    return render_template(
        "admin/invoices.html",
        invoices=listing,
        filters=filters,
        word=word,
        words=WORDS,
        held_codes=HELD_CODES,
        failure_text=failure_text,
    )


@bp.route("/invoices/export.<any(csv, xlsx):fmt>")
def export_invoices(fmt: str):
    if invalid_dates():
        return _("Enter dates as YYYY-MM-DD."), 400
    return export_response(
        invoice_queries.invoices_statement(_filters()), fmt, _export_columns(), "invoices"
    )


@bp.route("/invoices/<int:invoice_id>")
def invoice(invoice_id: int):
    row = invoice_queries.invoice_or_404(invoice_id)
    reds = invoice_queries.reds_of(row.id)
    current = row.kind == "blue" and row.state == "issued"
    asked = request_of(row.order_id) if current else None
    return render_template(
        "admin/invoice.html",
        invoice=row,
        reds=reds,
        word=word,
        failure_text=failure_text,
        can_reverse=current,
        paper_review=asked is not None and asked.paper_state == PaperState.REQUESTED,
    )


@bp.route("/invoices/<int:invoice_id>/files/<int:file_id>")
def invoice_file(invoice_id: int, file_id: int):
    row = invoice_queries.invoice_or_404(invoice_id)
    stored = invoice_queries.file_or_404(row.id, file_id)
    return Response(
        stored.content,
        mimetype=stored.media_type,
        headers={"Content-Disposition": f"attachment; filename={stored.name}"},
    )


@bp.route("/invoices/<int:invoice_id>/retry", methods=["POST"])
def retry_invoice(invoice_id: int):
    row = invoice_queries.invoice_or_404(invoice_id)
    if row.state != "failed":
        flash(_("Only an invoice that failed can be retried."), "error")
        return redirect(url_for("console.invoice", invoice_id=row.id))
    if request.form.get("confirmed") != "y":  # the provider issues it: ask first
        return render_template("admin/invoice_confirm.html", invoice=row, action="retry", word=word)
    invoice_issuing.retry(row.id, _who())
    return _outcome(row.id)


@bp.route("/invoices/<int:invoice_id>/reverse", methods=["POST"])
def reverse_invoice(invoice_id: int):
    row = invoice_queries.invoice_or_404(invoice_id)
    note = request.form.get("note", "").strip()[:200]
    if row.kind != "blue" or row.state != "issued":
        flash(_("Only an issued blue invoice can be reversed."), "error")
        return redirect(url_for("console.invoice", invoice_id=row.id))
    if not note:
        flash(_("Say why the invoice is reversed."), "error")
        return invoice(row.id), 400
    if request.form.get("confirmed") != "y":  # a red invoice is issued: ask first
        return render_template(
            "admin/invoice_confirm.html", invoice=row, action="reverse", note=note, word=word
        )
    red_id = invoice_issuing.reverse_by_hand(row.order_id, note, _who())
    if red_id is None:
        flash(_("Nothing was reversed: another invoice of the order is on its way."), "error")
        return redirect(url_for("console.invoice", invoice_id=row.id))
    return _outcome(red_id)


@bp.route("/orders/<int:order_id>/invoices/issue", methods=["POST"])
def issue_order_invoice(order_id: int):
    row = order_queries.console_order_or_404(order_id)
    if not missing_invoice(row):
        flash(_("This order has no invoice to issue now."), "error")
        return redirect(url_for("console.order", order_id=row.id))
    if request.form.get("confirmed") != "y":
        return render_template("admin/invoice_confirm.html", order=row, action="issue", word=word)
    before = {i.id for i in invoices_of(row.id)}
    invoice_issuing.advance_order(row.id)
    written = [i.id for i in invoices_of(row.id) if i.id not in before]
    if not written:
        flash(_("Nothing was issued: the order has not reached the trigger status."), "error")
        return redirect(url_for("console.order", order_id=row.id))
    return _outcome(written[-1])


@bp.route(
    "/orders/<int:order_id>/invoices/paper/<any(approve, decline):decision>", methods=["POST"]
)
def review_paper_invoice(order_id: int, decision: str):
    row = order_queries.console_order_or_404(order_id)
    back = redirect(url_for("console.order", order_id=row.id) + "#invoices-box")
    note = " ".join(request.form.get("note", "").split())[:200]
    if decision == "decline" and not note:
        flash(_("Say why the paper invoice is declined: the shopper is told."), "error")
        return back
    if request.form.get("confirmed") != "y":  # approving reverses the invoice: ask first
        action = f"paper_{decision}"
        return render_template(
            "admin/invoice_confirm.html", order=row, action=action, note=note, word=word
        )
    try:
        if decision == "approve":
            invoice_requests.approve_paper(row.id, _who())
        else:
            invoice_requests.decline_paper(row.id, note, _who())
    except InvoiceRefused:
        flash(_("No paper invoice request of this order awaits a review."), "error")
        return back
    done = {
        "approve": _("Approved: the electronic invoice is reversed and a paper one issued."),
        "decline": _("Declined: the shopper is told why."),
    }
    flash(done[decision], "success")
    return back


@bp.context_processor
def _order_page_words() -> dict:
    return {"order_invoices": order_invoices}


def order_invoices(order) -> dict:
    """Return the order page's invoice box: the request, whether its change to paper awaits
    the merchant's review, the invoices, whether one is missing."""
    asked = request_of(order.id)
    return {
        "invoice_request": asked,
        "paper_review": asked is not None and asked.paper_state == PaperState.REQUESTED,
        "order_invoices": invoices_of(order.id),
        "invoice_missing": missing_invoice(order),
        "invoice_word": word,
    }


def missing_invoice(order) -> bool:
    """Say whether the shopper asked for an invoice the order still lacks: requested, eligible,
    something left to invoice, and no blue invoice issued or on its way."""
    settings = current_settings()
    if request_of(order.id) is None or settings is None or not eligible(order, settings):
        return False
    listed = invoices_of(order.id)
    busy = any(i.state in UNSETTLED for i in listed)
    issued = any(i.kind == "blue" and i.state == "issued" for i in listed)
    return not busy and not issued and order.total > order.refunded


def _outcome(invoice_id: int):
    """Say where the invoice stands after the provider was asked, on its page."""
    db.session.expire_all()
    row = invoice_queries.invoice_or_404(invoice_id)
    state = word("state", row.state)
    if row.state == "failed":
        flash(failure_text(row), "error")
    else:
        flash(_("Done. The invoice is now: %(state)s.", state=state), "success")
    return redirect(url_for("console.invoice", invoice_id=row.id))


def _filters() -> invoice_queries.InvoiceFilters:
    args = request.args
    state, kind = args.get("state", ""), args.get("kind", "")
    return invoice_queries.InvoiceFilters(
        state=state if state in STATE_LABELS else None,  # other values cannot match
        kind=kind if kind in KIND_LABELS else None,
        date_from=query_date(args.get("from")),
        date_to=query_date(args.get("to")),
        number=args.get("number", "").strip()[:40],
        title=args.get("title", "").strip()[:100],
    )


def _export_columns():
    zone = str(get_timezone())

    def stamp(value):
        return to_user_timezone(value).isoformat(timespec="seconds") if value else ""

    return [
        (_("Order number"), lambda i: i.order.number),
        (_("Kind"), lambda i: word("kind", i.kind)),
        (_("State"), lambda i: word("state", i.state)),
        (_("Invoice number"), lambda i: i.number or ""),
        (_("Issued at (%(zone)s)", zone=zone), lambda i: stamp(i.issued_at)),
        (_("Title"), lambda i: i.buyer_name),
        (_("Buyer tax ID"), lambda i: i.buyer_tax_id),
        (_("Amount excluding tax"), lambda i: i.total_amount),
        (_("Tax amount"), lambda i: i.total_tax),
        (_("Total"), lambda i: i.total),
        (_("Why"), lambda i: word("cause", i.cause)),
        (_("Red-letter form"), lambda i: i.red_form_number or ""),
        (_("Written at (%(zone)s)", zone=zone), lambda i: stamp(i.created_at)),
    ]


def _who() -> str:
    return f"staff:{current_user.id} {current_user.name}"
