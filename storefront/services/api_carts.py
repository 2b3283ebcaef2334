"""Carts kept on the server for API callers (the HTML shop keeps its cart in the session).

A shopper has one cart per store; anyone else gets a new cart whose random public id is
the only way to reach it. The lines obey the same rule as the session cart
(`services.cart.with_quantity`).
"""

import secrets

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from storefront.extensions import db
from storefront.models.api import ApiCart
from storefront.services.cart import with_quantity


def cart_items(cart: ApiCart) -> dict[int, int]:
    """Return the cart as {product id: quantity}, in the order lines were added."""
    return {int(pid): int(qty) for pid, qty in cart.items or []}


def open_cart(shopper_id: int | None) -> ApiCart:
    """Return the shopper's cart (made on first use), or a new anonymous cart."""
    if shopper_id is not None:
        cart = db.session.scalar(select(ApiCart).where(ApiCart.shopper_id == shopper_id))
        if cart is not None:
            return cart
    cart = ApiCart(public_id=secrets.token_urlsafe(16), shopper_id=shopper_id, items=[])
    db.session.add(cart)
    try:
        db.session.commit()
    except IntegrityError:  # the shopper's first two requests raced: the other one made it
        db.session.rollback()
        return db.session.scalars(select(ApiCart).where(ApiCart.shopper_id == shopper_id)).one()
    return cart


def set_cart_quantity(cart_id: int, product_id: int, quantity: int) -> ApiCart:
    """Set a line's quantity (0 removes it), under the same rules as the session cart; the
    cart row is locked so that concurrent changes are applied one after the other."""
    cart = db.session.scalars(
        select(ApiCart)
        .where(ApiCart.id == cart_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    items = with_quantity(cart_items(cart), product_id, quantity)
    cart.items = [[pid, qty] for pid, qty in items.items()]
    db.session.commit()
    return cart
