"""The shopper's orders: history, detail with timeline, cancel, receipt, review;
notifications."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from storefront.domain.errors import Refused
from storefront.domain.orders import Actor, OrderStatus, TransitionRefused, next_statuses
from storefront.input_hardening import page_number
from storefront.queries import orders as order_queries
from storefront.queries.customs import declaration_for_order
from storefront.queries.notifications import shopper_notifications
from storefront.queries.reviews import order_reviews
from storefront.queries.tax import limit_policies
from storefront.services import fulfilment
from storefront.services.notifications import mark_all_read
from storefront.services.payments import refresh_payment
from storefront.shop import bp
from storefront.shop.forms import ReviewForm
from storefront.shop.invoices import order_invoicing
from storefront.shop.messages import notification_text, refusal_message


@bp.route("/orders")
@login_required
def orders():
    status = request.args.get("status") or None
    page = request.args.get("page", 1, type=page_number)
    listing = order_queries.shopper_orders(
        current_user, status, page, current_app.config["PAGE_SIZE"]
    )
    return render_template("shop/orders.html", orders=listing, status=status)


@bp.route("/orders/<int:order_id>")
@login_required
def order(order_id: int):
    row = order_queries.shopper_order_or_404(current_user, order_id)
    if request.args.get("paying") and row.status == "pending_payment":
        refresh_payment(row)  # back from paying: show the provider's answer, not a Pay button
    declaration = declaration_for_order(row.id)
    return render_template(
        "shop/order.html",
        order=row,
        review_form=ReviewForm(),
        reviews=order_reviews(row),
        payment=order_queries.order_payment(row),
        declaration=declaration,
        customs_reason=customs_reason(declaration, row.policy_code) if declaration else "",
        paying=request.args.get("paying"),
        moves=next_statuses(OrderStatus(row.status), Actor.SHOPPER),
        **order_invoicing(row),
    )


@bp.route("/orders/<int:order_id>/cancel", methods=["POST"])
@login_required
def cancel_order(order_id: int):
    row = order_queries.shopper_order_or_404(current_user, order_id)
    return _act(
        row,
        lambda: fulfilment.cancel(row, Actor.SHOPPER, f"shopper:{current_user.id}"),
        _("Order cancelled."),
    )


@bp.route("/orders/<int:order_id>/receive", methods=["POST"])
@login_required
def receive_order(order_id: int):
    row = order_queries.shopper_order_or_404(current_user, order_id)
    return _act(row, lambda: fulfilment.confirm_receipt(row), _("Thank you! Receipt confirmed."))


@bp.route("/orders/<int:order_id>/review", methods=["POST"])
@login_required
def review_order(order_id: int):
    row = order_queries.shopper_order_or_404(current_user, order_id)
    form = ReviewForm()
    if not form.validate_on_submit() or not str(form.line_id.data).isdigit():
        flash(_("Choose a rating from one to five stars."), "error")
        return redirect(url_for("shop.order", order_id=row.id))
    try:
        fulfilment.review(row, int(form.line_id.data), form.rating.data, form.body.data or "")
    except Refused as refused:
        flash(refusal_message(refused), "error")
    else:
        flash(_("Thank you for your review."), "success")
    return redirect(url_for("shop.order", order_id=row.id))


@bp.route("/notifications", methods=["GET", "POST"])
@login_required
def notifications():
    if request.method == "POST":
        mark_all_read(current_user.id)
        return redirect(url_for("shop.notifications"))
    notes = shopper_notifications(current_user.id)
    return render_template("shop/notifications.html", notes=notes, text=notification_text)


# NOTES §4: customs' own limit checks on the inventory list (error table 7-2)
ORDER_LIMIT_CODE, ANNUAL_LIMIT_CODE = "-621005", "-621018"


def customs_reason(declaration, policy_code: str) -> str:
    """Say why customs returned the order; its limit refusals as the cart words limits."""
    if declaration.reason_code not in (ORDER_LIMIT_CODE, ANNUAL_LIMIT_CODE):
        return declaration.reason_text
    policy = next((p for p in limit_policies() if p.code == policy_code), None)
    if policy is None:
        return declaration.reason_text
    if declaration.reason_code == ORDER_LIMIT_CODE:
        limit = f"{policy.order_limit:.2f}"
        return _(
            "Order limit: goods and freight of one cross-border order may not exceed ¥%(limit)s.",
            limit=limit,
        )
    return _(
        "Annual limit: one person may buy at most ¥%(limit)s of cross-border goods a year; "
        "with this order your purchases would exceed it.",
        limit=f"{policy.annual_limit:.2f}",
    )


def _act(row, action, done_message: str):
    try:
        action()
    except TransitionRefused as refused:
        flash(refusal_message(refused), "error")
        return order(row.id), 409
    flash(done_message, "success")
    return redirect(url_for("shop.order", order_id=row.id))
