"""Carts on the server: a shopper's own (token) or an anonymous one reached by its id.

The quote is exactly the shop's cart quote (storefront/cart_quote.py), built by the same
service from the same rules; lines obey the session cart's rule (services.cart).
"""

from flask import g
from pydantic import BaseModel, Field

from storefront.api import bp
from storefront.api.auth import CART_WRITE, current_shopper
from storefront.api.errors import not_found
from storefront.api.operation import operation
from storefront.api.schemas import CartQuote, Request
from storefront.cart_quote import cart_json
from storefront.input_hardening import MAX_INT
from storefront.models.api import ApiCart
from storefront.models.types import utcnow
from storefront.queries.api import cart_by_public_id
from storefront.queries.catalog import active_product_or_404
from storefront.services.api_carts import cart_items, open_cart, set_cart_quantity
from storefront.services.cart import MAX_QUANTITY, build_cart
from storefront.services.quota import identity_with_usage

CART_ID = r"<string(minlength=8, maxlength=32):cart_id>"


class CartLine(BaseModel):
    product_id: int
    quantity: int


class Cart(BaseModel):
    id: str = Field(description="The cart's id: keep it, it is the only way back to the cart")
    items: list[CartLine]
    quote: CartQuote


class NewLine(Request):
    product_id: int = Field(ge=1, le=MAX_INT)
    quantity: int = Field(ge=1, le=MAX_QUANTITY)


class QuantityChange(Request):
    quantity: int = Field(ge=0, le=MAX_QUANTITY, description="0 removes the line")


class QuoteQuery(BaseModel):
    identity_id: int | None = Field(
        None, ge=1, le=MAX_INT, description="The shopper's buyer identity (token only)"
    )


@bp.route("/stores/<store_slug>/carts", methods=["POST"])
@operation(access=CART_WRITE, responses={200: Cart, 201: Cart}, tags=("cart",), idempotent=True)
def create_cart():
    """Open a cart: a shopper's own (200 once it exists), else a new anonymous one (201)."""
    shopper = current_shopper()
    cart = open_cart(shopper.id if shopper else None)
    created = shopper is None or not cart.items
    return _cart_body(cart), 201 if created else 200


@bp.route(f"/stores/<store_slug>/carts/{CART_ID}", methods=["GET"])
@operation(access=CART_WRITE, responses={200: Cart}, tags=("cart",))
def cart(cart_id: str):
    """The cart's lines and its quote."""
    return _cart_body(_reachable_cart(cart_id))


@bp.route(f"/stores/<store_slug>/carts/{CART_ID}/items", methods=["POST"])
@operation(access=CART_WRITE, body=NewLine, responses={200: Cart}, tags=("cart",), idempotent=True)
def add_item(cart_id: str, json: NewLine):
    """Put a product in the cart with this quantity (as the product page's form)."""
    target = _reachable_cart(cart_id)
    product = active_product_or_404(json.product_id)
    return _cart_body(set_cart_quantity(target.id, product.id, json.quantity))


@bp.route(f"/stores/<store_slug>/carts/{CART_ID}/items/<int:product_id>", methods=["PATCH"])
@operation(access=CART_WRITE, body=QuantityChange, responses={200: Cart}, tags=("cart",))
def change_item(cart_id: str, product_id: int, json: QuantityChange):
    """Change a line's quantity (0 removes it)."""
    target = _reachable_cart(cart_id)
    if product_id not in cart_items(target):
        raise not_found()
    return _cart_body(set_cart_quantity(target.id, product_id, json.quantity))


@bp.route(f"/stores/<store_slug>/carts/{CART_ID}/items/<int:product_id>", methods=["DELETE"])
@operation(access=CART_WRITE, responses={200: Cart}, tags=("cart",))
def remove_item(cart_id: str, product_id: int):
    """Remove a line."""
    target = _reachable_cart(cart_id)
    if product_id not in cart_items(target):
        raise not_found()
    return _cart_body(set_cart_quantity(target.id, product_id, 0))


@bp.route(f"/stores/<store_slug>/carts/{CART_ID}/quote", methods=["GET"])
@operation(access=CART_WRITE, query=QuoteQuery, responses={200: CartQuote}, tags=("cart",))
def quote(cart_id: str, query: QuoteQuery):
    """The cart quote: orders, tax, limits and remaining quota (the shop's JSON quote)."""
    return _quote(_reachable_cart(cart_id), query.identity_id)


def _reachable_cart(cart_id: str) -> ApiCart:
    """The cart, if the caller may reach it: a shopper's cart by that shopper only."""
    found, shopper = cart_by_public_id(cart_id), current_shopper()
    if found is None:
        raise not_found()
    if found.shopper_id is not None and (shopper is None or shopper.id != found.shopper_id):
        raise not_found()
    return found


def _cart_body(cart: ApiCart) -> dict:
    lines = [{"product_id": pid, "quantity": qty} for pid, qty in cart_items(cart).items()]
    return {"id": cart.public_id, "items": lines, "quote": _quote(cart, None)}


def _quote(cart: ApiCart, identity_id: int | None) -> dict:
    shopper, moment = current_shopper(), utcnow()
    identity, used = (
        identity_with_usage(shopper.id, identity_id, moment) if shopper else (None, None)
    )
    return cart_json(build_cart(g.tenant, cart_items(cart), identity, moment, used))
