"""Confirm order and pay (the card in Stripe's element, wallets on their own pages)."""

import uuid
from decimal import Decimal

import segno
from flask import (
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from storefront.domain.errors import Refused
from storefront.input_hardening import finite_decimal, record_id
from storefront.models.types import utcnow
from storefront.queries import orders as order_queries
from storefront.security import payment_page_policy
from storefront.services.checkout import CheckoutRefused, PlacementRequest, place_order
from storefront.services.payments import browser_key, start_payment
from storefront.shop import bp
from storefront.shop.cart import quoted_cart
from storefront.shop.cart_session import cart_items, clear_cart
from storefront.shop.forms import CheckoutForm, PaymentForm
from storefront.shop.invoices import checkout_invoicing, request_at_checkout
from storefront.shop.messages import refusal_message
from storefront.shop.promoters import referral_code


@bp.route("/checkout", methods=["GET", "POST"])
@login_required
def checkout():
    form = CheckoutForm()
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
            flash(refusal_message(refused), "error")
        else:
            clear_cart()
            request_at_checkout(placed)
            return redirect(url_for("shop.pay", checkout_id=placed.id))
    # the choices and the cart are read here only for the page: a submit reads its address
    # and identity, and builds the cart, once, in the placement
    form.address_id.choices = [
        SelectChoice(a.id, f"{a.consignee} {a.one_line()}") for a in current_user.addresses
    ]
    form.identity_id.choices = [
        SelectChoice(i.id, f"{i.real_name} {i.masked_id}") for i in current_user.identities
    ]
    wanted = form.identity_id.data or request.args.get("identity_id", type=record_id)
    snapshot, identity = quoted_cart(wanted)
    form.token.data = uuid.uuid4().hex
    form.expected_total.data = f"{snapshot.total:.2f}"
    return render_template(
        "shop/checkout.html",
        form=form,
        cart=snapshot,
        identity=identity,
        **checkout_invoicing(snapshot),
    )


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
                url_for("shop.order", order_id=placed.orders[0].id, paying=1, _external=True),
            )
        except Refused as refused:
            form.form_errors.append(refusal_message(refused))
        else:
            return _after_payment(placed, payment, view)
    return render_template("shop/pay.html", form=form, checkout=placed)


def _after_payment(placed, payment, view):
    if view.next_action == "confirm_card":
        return _card_page(placed, view)
    if view.next_action == "redirect":
        # A page, not a 302: the form-action CSP would stop a form post redirected off-site.
        return render_template("shop/leaving.html", url=view.redirect_url, method=payment.method)
    if view.next_action == "wechat_qr":
        qr = view.qr_image_url or segno.make(view.qr_data, error="m").svg_data_uri(scale=6)
        return render_template("shop/wechat_qr.html", view=view, checkout=placed, qr_image=qr)
    flash(
        _("Payment sent. Your order is confirmed as soon as the payment service reports it."),
        "success",
    )
    return redirect(url_for("shop.order", order_id=placed.orders[0].id, paying=1))


def _card_page(placed, view):
    """The card goes into Stripe's element and from the browser to Stripe, never to us."""
    config = current_app.config
    response = make_response(
        render_template(
            "shop/pay_card.html",
            checkout=placed,
            client_secret=view.client_secret,
            publishable_key=browser_key(),
            stripe_js_url=config["STRIPE_JS_URL"],
            done_url=url_for("shop.order", order_id=placed.orders[0].id, paying=1),
        )
    )
    response.headers["Content-Security-Policy"] = payment_page_policy(config["STRIPE_JS_URL"])
    return response


def _decimal(text: str | None) -> Decimal | None:
    try:
        return finite_decimal(text) if text else None
    except ValueError:
        abort(400)
