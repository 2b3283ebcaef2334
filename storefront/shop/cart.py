"""The cart page and its JSON quote: groups, tax lines, refusals, remaining quota."""

from flask import flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from storefront.cart_quote import cart_json
from storefront.input_hardening import record_id
from storefront.models.types import utcnow
from storefront.queries.catalog import active_product_or_404
from storefront.queries.shoppers import chosen_identity
from storefront.services.cart import build_cart
from storefront.shop import bp
from storefront.shop.cart_session import cart_items, set_quantity


@bp.route("/cart")
def cart():
    identity = chosen_identity(current_user, request.args.get("identity_id", type=record_id))
    snapshot = build_cart(g.tenant, cart_items(), identity, utcnow())
    return render_template("shop/cart.html", cart=snapshot, identity=identity)


@bp.route("/cart/quote.json")
def cart_quote():
    identity = chosen_identity(current_user, request.args.get("identity_id", type=record_id))
    snapshot = build_cart(g.tenant, cart_items(), identity, utcnow())
    return jsonify(cart_json(snapshot))


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
