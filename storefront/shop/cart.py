"""The cart page and its JSON quote: groups, tax lines, refusals, remaining quota."""

from flask import flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from storefront.cart_quote import cart_json
from storefront.input_hardening import record_id
from storefront.models import BuyerIdentity, Shopper
from storefront.models.types import utcnow
from storefront.queries.catalog import active_product_or_404
from storefront.services.cart import CartSnapshot, build_cart
from storefront.services.quota import identity_with_usage
from storefront.shop import bp
from storefront.shop.cart_session import cart_items, set_quantity


@bp.route("/cart")
def cart():
    snapshot, identity = quoted_cart(request.args.get("identity_id", type=record_id))
    return render_template("shop/cart.html", cart=snapshot, identity=identity)


@bp.route("/cart/quote.json")
def cart_quote():
    snapshot, _identity = quoted_cart(request.args.get("identity_id", type=record_id))
    return jsonify(cart_json(snapshot))


def quoted_cart(identity_id: int | None) -> tuple[CartSnapshot, BuyerIdentity | None]:
    """Build the cart for the signed-in shopper's identity `identity_id` (else their first),
    its person's quota use read with it; without a signed-in shopper, for nobody yet."""
    moment, user = utcnow(), current_user._get_current_object()
    identity, used = (
        identity_with_usage(user.id, identity_id, moment)
        if isinstance(user, Shopper)
        else (None, None)
    )
    return build_cart(g.tenant, cart_items(), identity, moment, used), identity


@bp.route("/cart/items", methods=["POST"])
def set_cart_item():
    product = active_product_or_404(request.form.get("product_id", type=record_id) or 0)
    quantity = request.form.get("quantity", type=int)
    if quantity is None or not 0 <= quantity <= 99:
        flash(_("Choose a quantity between 1 and 99."), "error")
    else:
        set_quantity(product.id, quantity)
        if quantity:
            flash(_("%(name)s is in your cart.", name=product.name), "success")
    return redirect(
        url_for("shop.cart", identity_id=request.form.get("identity_id", type=record_id))
    )
