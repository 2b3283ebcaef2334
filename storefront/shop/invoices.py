"""The shopper's invoices (SPEC §7, seed 003 §四–§五): saved titles under the account, the
request at checkout or later from the order page, the invoice's state in words, its PDF and
XML, a title change and the one change to paper."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectChoice, StringField

from storefront.input_hardening import record_id
from storefront.models import Invoice
from storefront.queries import orders as order_queries
from storefront.queries.invoices import order_invoice_file
from storefront.services import invoice_requests
from storefront.services.errors import NotFound
from storefront.services.invoice_issuer import HELD_CODES
from storefront.services.invoice_requests import InvoiceRefused, PaperState
from storefront.services.invoice_settings import current_settings, eligible
from storefront.services.invoices import UNSETTLED, invoices_of, request_of
from storefront.shop import bp
from storefront.shop.messages import invoice_failure_text, refusal_message

FILE_TYPES = {"pdf": "application/pdf", "xml": "application/xml"}
STATE_LABELS = {
    "requested": _l("Requested"),
    "issuing": _l("Being issued"),
    "issued": _l("Issued"),
    "failed": _l("Issue failed"),
    "reversed": _l("Reversed by a red invoice"),
}
KIND_LABELS = {"blue": _l("Invoice"), "red": _l("Red invoice")}
MEDIUM_LABELS = {"electronic": _l("Electronic"), "paper": _l("Paper")}
# seed 003 §四: once the electronic invoice is issued, the change to paper is reviewed
PAPER_ASKED = {
    True: _l("Paper invoice requested. The store reviews it; you are told its answer here."),
    False: _l("Paper invoice requested. The store posts it to your delivery address."),
}


class TitleForm(FlaskForm):
    kind = RadioField(
        _l("Title type"),
        choices=[
            SelectChoice("personal", _l("Personal")),
            SelectChoice("enterprise", _l("Enterprise")),
        ],
        default="personal",
    )
    name = StringField(_l("Name on the invoice"))
    tax_id = StringField(_l("Tax ID (enterprises: unified social credit code)"))
    default = BooleanField(_l("Use as my default title"))


@bp.route("/account/invoice-titles", methods=["GET", "POST"])
@login_required
def invoice_titles():
    form = TitleForm()
    if form.validate_on_submit():
        try:
            invoice_requests.save_title(
                current_user.id, form.kind.data, form.name.data or "", form.tax_id.data or "",
                bool(form.default.data),
            )  # fmt: skip
        except InvoiceRefused as refused:
            form.form_errors.append(refusal_message(refused))
        else:
            flash(_("Invoice title saved."), "success")
            back = "shop.checkout" if request.args.get("next") == "checkout" else None
            return redirect(url_for(back or "shop.invoice_titles"))
    rows = invoice_requests.titles(current_user.id)
    return render_template("shop/invoice_titles.html", form=form, titles=rows)


@bp.route("/account/invoice-titles/<int:title_id>/default", methods=["POST"])
@login_required
def default_invoice_title(title_id: int):
    try:
        invoice_requests.set_default_title(current_user.id, title_id)
    except NotFound:
        abort(404)
    flash(_("Default title changed."), "success")
    return redirect(url_for("shop.invoice_titles"))


@bp.route("/orders/<int:order_id>/invoice", methods=["POST"])
@login_required
def request_invoice(order_id: int):
    row = order_queries.shopper_order_or_404(current_user, order_id)
    title = _chosen_title()
    return _act(
        row.id,
        lambda: invoice_requests.request_invoice(
            row.id, current_user.id, title.kind, title.name, title.tax_id
        ),
        _("Invoice requested."),
    )


@bp.route("/orders/<int:order_id>/invoice/title", methods=["POST"])
@login_required
def change_invoice_title(order_id: int):
    row = order_queries.shopper_order_or_404(current_user, order_id)
    title = _chosen_title()
    return _act(
        row.id,
        lambda: invoice_requests.change_title(row.id, title.kind, title.name, title.tax_id),
        _("Title changed. An issued invoice is reversed and issued again under the new title."),
    )


@bp.route("/orders/<int:order_id>/invoice/paper", methods=["POST"])
@login_required
def paper_invoice(order_id: int):
    row = order_queries.shopper_order_or_404(current_user, order_id)
    try:
        invoice_requests.ask_paper(row.id)
    except InvoiceRefused as refused:
        flash(refusal_message(refused), "error")
    else:
        reviewed = request_of(row.id).paper_state == PaperState.REQUESTED
        flash(PAPER_ASKED[reviewed], "success")
    return redirect(url_for("shop.order", order_id=row.id) + "#invoice")


@bp.route("/orders/<int:order_id>/invoices/<int:invoice_id>.<any(pdf, xml):invoice_format>")
@login_required
def invoice_file(order_id: int, invoice_id: int, invoice_format: str):
    row = order_queries.shopper_order_or_404(current_user, order_id)
    stored = order_invoice_file(row.id, invoice_id, FILE_TYPES[invoice_format])
    if stored is None:
        abort(404)
    return Response(
        stored.content,
        mimetype=stored.media_type,
        headers={"Content-Disposition": f"attachment; filename={stored.name}"},
    )


def order_invoicing(order) -> dict:
    """Return what the order page shows of the order's invoice (template values)."""
    invoice_request, invoices = request_of(order.id), invoices_of(order.id)
    return {
        "invoice_request": invoice_request,
        "invoices": invoices,
        "invoice_busy": any(invoice.state in UNSETTLED for invoice in invoices),
        "invoice_offered": invoice_request is None and invoice_requests.offered(order),
        "invoice_titles": invoice_requests.titles(current_user.id),
        "invoice_state": invoice_state_text,
        "invoice_kind": lambda invoice: KIND_LABELS[invoice.kind],
        "invoice_medium": lambda medium: MEDIUM_LABELS.get(medium, medium),
    }


def invoice_state_text(invoice: Invoice) -> str:
    """Name the invoice's state; a failed one with the reason in the shopper's words, a red
    one waiting for the (enterprise) buyer to confirm its red-letter form as such."""
    if invoice.state == "failed" and invoice.failure_code in HELD_CODES:
        # seed 000 step 2(2): held until the platform approves the store's invoice issuer,
        # then issued without the shopper asking again: waiting, not failed
        return _("Waiting: the store cannot issue invoices yet")
    if invoice.state == "failed":
        return f"{STATE_LABELS['failed']}（{invoice_failure_text(invoice.failure_code)}）"
    # SPEC §7: an enterprise buyer confirms the red-letter form itself
    form = (invoice.kind, invoice.state, invoice.red_form_state)
    if form == ("red", "requested", "pending"):
        return _("Red-letter form awaiting the buyer's confirmation")
    return str(STATE_LABELS.get(invoice.state, invoice.state))


def checkout_invoicing(cart) -> dict:
    """Return the checkout's invoice choice: offered when some goods of the cart are eligible
    (the store's setting for their tax tag, SPEC §7), with the shopper's titles."""
    settings = current_settings()
    # eligibility reads only the tax tag, which each group of the cart carries like an order
    offered = settings is not None and any(eligible(group, settings) for group in cart.groups)
    return {
        "invoice_offered": offered,
        "invoice_titles": invoice_requests.titles(current_user.id) if offered else [],
    }


def request_at_checkout(placed) -> None:
    """Ask for an invoice of each eligible order of the checkout with the chosen title."""
    try:
        title_id = record_id(request.form.get("invoice_title", ""))
    except ValueError:
        return  # "no invoice" (the empty choice)
    title = _own_title(title_id)
    if title is None:
        return
    for order in placed.orders:
        if not invoice_requests.offered(order):
            continue
        try:
            invoice_requests.request_invoice(
                order.id, current_user.id, title.kind, title.name, title.tax_id
            )
        except InvoiceRefused as refused:
            flash(refusal_message(refused), "error")


def _chosen_title():
    try:
        title = _own_title(record_id(request.form.get("title_id", "")))
    except ValueError:
        title = None
    if title is None:
        abort(400)
    return title


def _own_title(title_id: int):
    return next((t for t in invoice_requests.titles(current_user.id) if t.id == title_id), None)


def _act(order_id: int, action, done: str):
    try:
        action()
    except InvoiceRefused as refused:
        flash(refusal_message(refused), "error")
    else:
        flash(done, "success")
    return redirect(url_for("shop.order", order_id=order_id) + "#invoice")
