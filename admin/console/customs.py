"""Customs in the merchant console: the declarations across orders (filters, export), one
order's declaration with its documents, receipts and timeline, the actions on it, and the
direct-mail declaration sheet."""

from datetime import datetime

from flask import (
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_timezone, to_user_timezone
from flask_babel import gettext as _
from flask_login import current_user

from admin.console import bp
from admin.console import customs_words as words
from admin.console.messages import console_message
from admin.console.orders import invalid_dates, query_date
from admin.exports import export_response
from storefront.customs.masking import masked_message
from storefront.documents.postal_declaration import render_postal_declaration
from storefront.domain.customs.receipts import DocumentKind
from storefront.domain.customs.states import State
from storefront.domain.errors import Refused
from storefront.i18n import label
from storefront.input_hardening import page_number
from storefront.ports import PortUnavailable
from storefront.queries import customs as customs_queries
from storefront.queries import orders as order_queries
from storefront.queries.orders import CHINA
from storefront.queries.postal import postal_sheet
from storefront.services import customs as customs_service
from storefront.services.customs_documents import InvalidMessage
from storefront.services.errors import NotFound

STATES = tuple(State)
KINDS = tuple(DocumentKind)


@bp.route("/customs")
def customs_declarations():
    filters = _filters()
    for value in invalid_dates():
        flash(_("“%(value)s” is not a date (YYYY-MM-DD): it was not used.", value=value), "error")
    page = request.args.get("page", 1, type=page_number)
    listing = customs_queries.declarations(filters, page, current_app.config["PAGE_SIZE"])
    return render_template(
        "admin/customs.html",
        declarations=listing,
        filters=filters,
        states=STATES,
        kinds=KINDS,
        current=current_by_kind,
    )


@bp.route("/customs/export.<any(csv, xlsx):fmt>")
def export_customs(fmt: str):
    if invalid_dates():
        return _("Enter dates as YYYY-MM-DD."), 400
    statement = customs_queries.declarations_statement(_filters())
    return export_response(statement, fmt, _export_columns(), "customs")


@bp.route("/orders/<int:order_id>/customs")
def order_customs(order_id: int):
    row = order_queries.console_order_or_404(order_id)
    declaration = _declaration_or_404(row.id)
    events = customs_queries.timeline(declaration.id)
    return render_template(
        "admin/customs_order.html",
        order=row,
        declaration=declaration,
        documents=declaration.documents,
        receipts=customs_queries.receipts(declaration.id),
        tax_bills=customs_queries.tax_bills_for(declaration.id),
        deducted=customs_queries.deducted_tax(declaration.id),
        tax_bill_status=tax_bill_status_text,
        events=events,
        problems=words.open_problems(events),
        words=words,
        can_resend=declaration.state == State.REJECTED and row.status == "paid",
        can_retry=_retryable(declaration, row),
    )


@bp.route("/orders/<int:order_id>/customs/documents/<int:document_id>.xml")
def customs_document_xml(order_id: int, document_id: int):
    row = order_queries.console_order_or_404(order_id)
    declaration = _declaration_or_404(row.id)
    document = customs_queries.document_or_404(declaration.id, document_id)
    try:
        body = masked_message(document.xml)
    except ValueError:
        return _("This message is not well-formed XML and is not shown."), 409
    return Response(body, mimetype="text/plain", content_type="text/plain; charset=utf-8")


@bp.route("/orders/<int:order_id>/customs/resend", methods=["POST"])
def resend_customs(order_id: int):
    row = order_queries.console_order_or_404(order_id)
    declaration = _declaration_or_404(row.id)
    if request.form.get("confirmed") != "y":  # new messages go to customs: ask first
        return render_template("admin/customs_resend.html", order=row, declaration=declaration)
    try:
        customs_service.resend(declaration.id, _who())
    except Refused as refused:
        flash(console_message(refused), "error")
        return order_customs(row.id), 409
    except (NotFound, InvalidMessage) as error:
        # nothing was committed; a new request shows the declaration as it is stored
        current_app.logger.warning("resend of declaration %s: %r", declaration.id, error)
        flash(
            _(
                "The messages could not be written: a filing (the store's or a product's) or "
                "the settled payment is missing, or a message breaks the customs schema."
            ),
            "error",
        )
        return redirect(url_for("console.order_customs", order_id=row.id))
    flash(_("The corrected messages were written."), "success")
    return _advance(row.id, declaration.id)


@bp.route("/orders/<int:order_id>/customs/retry", methods=["POST"])
def retry_customs(order_id: int):
    row = order_queries.console_order_or_404(order_id)
    declaration = _declaration_or_404(row.id)
    return _advance(row.id, declaration.id)


@bp.route("/orders/<int:order_id>/postal-declaration.pdf")
def postal_declaration(order_id: int):
    row = order_queries.console_order_or_404(order_id)
    if row.tax_tag != "direct_mail":
        abort(404)  # bonded and other composite orders are declared with CEB messages
    sheet = postal_sheet(row, g.tenant.name, datetime.now(CHINA).date())
    return Response(
        render_postal_declaration(sheet),
        mimetype="application/pdf",
        headers={"Content-Disposition": f"inline; filename=postal-{row.number}.pdf"},
    )


def tax_bill_status_text(status: str) -> str:
    """Name a tax bill's status (CEB816 status: 1 generated, 2 summarised, 3 void)."""
    names = {"1": _("Tax bill generated"), "2": _("Tax bill summarised"), "3": _("Tax bill void")}
    return names.get(status, status)


def current_by_kind(declaration) -> dict:
    """Return the declaration's current document of each kind (an older one was resent)."""
    return {doc.kind: doc for doc in declaration.documents if doc.current}


def _advance(order_id: int, declaration_id: int):
    """Take the declaration's next step now and say where it stands after."""
    try:
        customs_service.advance(declaration_id)
    except PortUnavailable:
        flash(
            _(
                "The bonded warehouse or the customs link cannot be reached now. It is "
                "retried automatically; you can also try again shortly."
            ),
            "error",
        )
        return redirect(url_for("console.order_customs", order_id=order_id))
    declaration = customs_queries.declaration_or_404(declaration_id)
    if declaration.last_error:
        flash(_("The step did not succeed; see the error below."), "error")
    else:
        state = label("customs_state", declaration.state)
        flash(_("Done. The declaration is now: %(state)s.", state=state), "success")
    return redirect(url_for("console.order_customs", order_id=order_id))


def _retryable(declaration, order) -> bool:
    """Retry what failed or is awaited; a rejection needs a correction, a paid order only."""
    if order.status != "paid":
        return False
    return bool(declaration.last_error) or declaration.state != State.REJECTED


def _declaration_or_404(order_id: int):
    declaration = customs_queries.declaration_for_order(order_id)
    if declaration is None:
        abort(404)
    return declaration


def _filters() -> customs_queries.CustomsFilters:
    args = request.args
    state, kind = args.get("state", ""), args.get("kind", "")
    return customs_queries.CustomsFilters(
        state=state if state in STATES else None,  # other values cannot match: no filter
        kind=kind if kind in KINDS else None,
        date_from=query_date(args.get("from")),
        date_to=query_date(args.get("to")),
        rejected=args.get("rejected") == "1",
        number=args.get("number", "").strip(),
    )


def _export_columns():
    zone = str(get_timezone())
    kinds = [(label("document_kind", kind), _status_getter(kind)) for kind in DocumentKind]
    return [
        (_("Order number"), lambda d: d.order.number),
        (_("Customs state"), lambda d: label("customs_state", d.state)),
        *kinds,
        (_("Waybill number"), lambda d: d.waybill_number or ""),
        (
            _("Last change (%(zone)s)", zone=zone),
            lambda d: to_user_timezone(d.updated_at).isoformat(timespec="seconds"),
        ),
        (_("Reason"), lambda d: d.reason_text or ""),
    ]


def _status_getter(kind: str):
    def status(declaration) -> str:
        document = current_by_kind(declaration).get(kind)
        return label("document_status", document.status) if document is not None else ""

    return status


def _who() -> str:
    return f"staff:{current_user.id} {current_user.name}"
