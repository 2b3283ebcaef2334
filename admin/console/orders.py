"""Orders in the merchant console: filters, export, detail with timeline, actions."""

import uuid
from datetime import date

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from admin.console import bp
from admin.console.messages import console_message
from admin.exports import export_response
from admin.forms import RefundForm, ShipForm
from storefront.domain.errors import Refused
from storefront.domain.orders import (
    Actor,
    OrderStatus,
    TransitionRefused,
    next_statuses,
    refund_allowed,
)
from storefront.input_hardening import page_number
from storefront.queries import commission as commission_queries
from storefront.queries import customs as customs_queries
from storefront.queries import orders as order_queries
from storefront.services import fulfilment

STATUSES = tuple(status.value for status in OrderStatus)


@bp.route("/orders")
def orders():
    filters = _filters()
    for value in invalid_dates():
        flash(_("“%(value)s” is not a date (YYYY-MM-DD): it was not used.", value=value), "error")
    page = request.args.get("page", 1, type=page_number)
    listing = order_queries.console_orders(filters, page, current_app.config["PAGE_SIZE"])
    return render_template("admin/orders.html", orders=listing, filters=filters, statuses=STATUSES)


@bp.route("/orders/export.<any(csv, xlsx):fmt>")
def export_orders(fmt: str):
    if invalid_dates():
        return _("Enter dates as YYYY-MM-DD."), 400
    return export_response(order_queries.console_orders_statement(_filters()), fmt)


@bp.route("/orders/<int:order_id>")
def order(order_id: int):
    row = order_queries.console_order_or_404(order_id)
    payment = order_queries.order_payment(row)
    paid = payment is not None and payment.status == "succeeded"
    return render_template(
        "admin/order.html",
        order=row,
        ship_form=ShipForm(),
        refund_form=RefundForm(),
        refund_key=uuid.uuid4().hex,
        payment=payment,
        declaration=customs_queries.declaration_for_order(row.id),
        moves=next_statuses(OrderStatus(row.status), Actor.MERCHANT),
        can_refund=refund_allowed(OrderStatus(row.status), paid) and row.refunded < row.total,
    )


@bp.route("/orders/<int:order_id>/ship", methods=["POST"])
def ship_order(order_id: int):
    row = order_queries.console_order_or_404(order_id)
    form = ShipForm()
    if not form.validate_on_submit():
        flash(_("Choose a carrier and enter a valid tracking number."), "error")
        return order(row.id), 400
    try:
        fulfilment.ship(
            row,
            form.carrier.data,
            form.tracking_number.data,
            _who(),
            exchange=request.form.get("exchange") == "1",
        )
    except TransitionRefused as refused:  # before Refused, which it is a kind of
        return _refused(row, refused)
    except Refused as refused:
        flash(console_message(refused), "error")
        return order(row.id), 400
    flash(_("Shipped. The shopper has been notified."), "success")
    return redirect(url_for("console.order", order_id=row.id))


@bp.route("/orders/<int:order_id>/cancel", methods=["POST"])
def cancel_order(order_id: int):
    row = order_queries.console_order_or_404(order_id)
    return _act(
        row,
        lambda: fulfilment.cancel(row, Actor.MERCHANT, _who(), request.form.get("reason", "")),
        _("Order cancelled."),
    )


@bp.route("/orders/<int:order_id>/return", methods=["POST"])
def accept_return(order_id: int):
    row = order_queries.console_order_or_404(order_id)
    return _act(
        row,
        lambda: fulfilment.accept_return(row, _who(), request.form.get("reason", "")),
        _("Return accepted. Refund the shopper next."),
    )


@bp.route("/orders/<int:order_id>/complete", methods=["POST"])
def complete_order(order_id: int):
    row = order_queries.console_order_or_404(order_id)
    return _act(row, lambda: fulfilment.complete(row, _who()), _("Order completed."))


@bp.route("/orders/<int:order_id>/refund", methods=["POST"])
def refund_order(order_id: int):
    row = order_queries.console_order_or_404(order_id)
    form = RefundForm()
    if not form.validate_on_submit():
        flash(_("Enter the amount to refund."), "error")
        return order(row.id), 400
    if not form.confirmed.data:  # money leaves the store: say how much and ask first
        return render_template("admin/refund_confirm.html", order=row, form=form)
    try:
        fulfilment.refund(row, form.amount.data, _who(), form.request_key.data)
    except TransitionRefused as refused:  # before Refused, which it is a kind of
        return _refused(row, refused)
    except Refused as refused:
        flash(console_message(refused), "error")
        return order(row.id), 409
    flash(_("Refund of ¥%(amount)s sent.", amount=form.amount.data), "success")
    return redirect(url_for("console.order", order_id=row.id))


def _act(row, action, done: str):
    try:
        action()
    except TransitionRefused as refused:
        return _refused(row, refused)
    flash(done, "success")
    return redirect(url_for("console.order", order_id=row.id))


def _refused(row, refused: TransitionRefused):
    flash(console_message(refused), "error")
    return order(row.id), 409


def _who() -> str:
    return f"staff:{current_user.id} {current_user.name}"


def _filters() -> order_queries.OrderFilters:
    args = request.args
    return order_queries.OrderFilters(
        status=args.get("status") or None,
        tag=args.get("tag") or None,
        date_from=query_date(args.get("from")),
        date_to=query_date(args.get("to")),
        buyer=args.get("buyer", "").strip(),
        number=args.get("number", "").strip(),
    )


def invalid_dates() -> list[str]:
    """Return the date filters of the request that are not dates (they are not used)."""
    given = (request.args.get(name, "") for name in ("from", "to"))
    return [text for text in given if text and query_date(text) is None]


def query_date(text: str | None) -> date | None:
    """Return a YYYY-MM-DD filter as a date; None when empty or not a date."""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@bp.route("/commissions")
def commissions():
    page = request.args.get("page", 1, type=page_number)
    records = commission_queries.console_records(page, current_app.config["PAGE_SIZE"])
    return render_template("admin/commissions.html", records=records)
