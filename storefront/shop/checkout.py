"""Confirm order, pay, and the local 3-D Secure page."""

import uuid
from decimal import Decimal

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from storefront.input_hardening import finite_decimal, record_id
from storefront.models.types import utcnow
from storefront.ports import PaymentError
from storefront.queries import orders as order_queries
from storefront.queries.shoppers import chosen_identity
from storefront.services.cart import build_cart
from storefront.services.checkout import CheckoutRefused, PlacementRequest, place_order
from storefront.services.payments import (
    CardInput,
    PaymentRefused,
    finish_authentication,
    start_payment,
)
from storefront.shop import bp
from storefront.shop.cart_session import cart_items, clear_cart
from storefront.shop.forms import CheckoutForm, PaymentForm
from storefront.shop.messages import payment_message, refusal_message
from storefront.shop.promoters import referral_code


@bp.route("/checkout", methods=["GET", "POST"])
@login_required
def checkout():
    form = CheckoutForm()
    form.address_id.choices = [
        SelectChoice(a.id, f"{a.consignee} {a.one_line()}") for a in current_user.addresses
    ]
    form.identity_id.choices = [
        SelectChoice(i.id, f"{i.real_name} {i.masked_id}") for i in current_user.identities
    ]
    wanted = form.identity_id.data or request.args.get("identity_id", type=record_id)
    identity = chosen_identity(current_user, wanted)
    snapshot = build_cart(g.tenant, cart_items(), identity, utcnow())
    if form.validate_on_submit():
        try:
            placed = place_order(
                g.tenant,
                current_user,
                PlacementRequest(
                    items=cart_items(),
                    identity_id=form.identity_id.data,
                    address_id=form.address_id.data,
                    token=form.token.data,
                    expected_total=_decimal(form.expected_total.data),
                    referral_code=referral_code(),
                ),
                utcnow(),
            )
        except CheckoutRefused as refused:
            flash(refusal_message(refused.code), "error")
        else:
            clear_cart()
            return redirect(url_for("shop.pay", checkout_id=placed.id))
    form.token.data = uuid.uuid4().hex
    form.expected_total.data = f"{snapshot.total:.2f}"
    return render_template("shop/checkout.html", form=form, cart=snapshot, identity=identity)


@bp.route("/pay/<int:checkout_id>", methods=["GET", "POST"])
@login_required
def pay(checkout_id: int):
    placed = order_queries.shopper_checkout_or_404(current_user, checkout_id)
    form = PaymentForm()
    if form.validate_on_submit():
        try:
            payment, view = start_payment(
                placed,
                form.method.data,
                _card(form),
                url_for("shop.order", order_id=placed.orders[0].id, _external=True),
            )
        except PaymentRefused as refused:
            form.form_errors.append(payment_message(refused))
        else:
            return _after_payment(placed, payment, view)
    return render_template("shop/pay.html", form=form, checkout=placed)


@bp.route("/payments/<int:payment_id>/authenticate", methods=["GET", "POST"])
@login_required
def authenticate(payment_id: int):
    """The local payment server's stand-in for the card issuer's 3-D Secure page."""
    payment = order_queries.shopper_payment_or_404(current_user, payment_id)
    if request.method == "POST":
        try:
            finish_authentication(
                payment, request.form.get("client_secret", ""), request.form.get("approve") == "1"
            )
        except PaymentError:  # a wrong secret or a payment the server no longer knows
            abort(409)
        return redirect(url_for("shop.order", order_id=payment.checkout.orders[0].id, paying=1))
    secret = request.args.get("client_secret", "")
    return render_template("shop/authenticate.html", payment=payment, client_secret=secret)


def _after_payment(placed, payment, view):
    if view.next_action == "three_d_secure" and view.redirect_url:
        return render_template("shop/leaving.html", url=view.redirect_url, method="card")
    if view.next_action == "three_d_secure":
        return redirect(
            url_for("shop.authenticate", payment_id=payment.id, client_secret=view.client_secret)
        )
    if view.next_action == "redirect":
        # A page, not a 302: the form-action CSP would stop a form post redirected off-site.
        return render_template("shop/leaving.html", url=view.redirect_url, method=payment.method)
    if view.next_action == "wechat_qr":
        return render_template("shop/wechat_qr.html", view=view, checkout=placed)
    flash(
        _("Payment sent. Your order is confirmed as soon as the payment service reports it."),
        "success",
    )
    return redirect(url_for("shop.order", order_id=placed.orders[0].id, paying=1))


def _card(form: PaymentForm) -> CardInput | None:
    if form.method.data != "card":
        return None
    month, _slash, year = (form.expiry.data or "12/30").partition("/")
    return CardInput(
        form.card_number.data.replace(" ", ""), int(month), 2000 + int(year), form.cvc.data or ""
    )


def _decimal(text: str | None) -> Decimal | None:
    try:
        return finite_decimal(text) if text else None
    except ValueError:
        abort(400)
