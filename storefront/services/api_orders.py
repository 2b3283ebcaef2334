"""Placing the shopper's API cart: the shop's placement, then the cart emptied.

The placement is `services.checkout.place_order`, the HTML shop's: every rule (limits, mixing,
stock, the price the shopper saw) is applied there once. Its double-submit token is derived
from the caller's Idempotency-Key, so that a retry whose stored answer was dropped (a crash
after the commit) still finds the first checkout instead of placing a second one.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from storefront.extensions import db
from storefront.models import Shopper, Tenant
from storefront.models.api import ApiCart
from storefront.models.orders import Checkout
from storefront.services.api_carts import cart_items
from storefront.services.checkout import PlacementRequest, place_order

TOKEN_PREFIX = "api-"  # noqa: S105 - marks checkouts placed through the API, no secret


def placement_token(shopper_id: int, idempotency_key: str) -> str:
    """Return the checkout token of this shopper's placement under this key (40 chars)."""
    digest = hashlib.sha256(f"{shopper_id}\0{idempotency_key}".encode()).hexdigest()
    return TOKEN_PREFIX + digest[: 40 - len(TOKEN_PREFIX)]


@dataclass(frozen=True)
class CartPlacement:
    """What the shopper chose on the confirm step of an API front end."""

    address_id: int
    identity_id: int | None
    expected_total: Decimal  # the total the shopper saw; a change refuses the placement
    idempotency_key: str


def place_cart(
    tenant: Tenant, shopper: Shopper, choice: CartPlacement, moment: datetime
) -> Checkout:
    """Place the shopper's API cart, or raise CheckoutRefused; then empty the cart."""
    cart = db.session.scalar(select(ApiCart).where(ApiCart.shopper_id == shopper.id))
    token = placement_token(shopper.id, choice.idempotency_key)
    earlier = db.session.scalar(select(Checkout.id).where(Checkout.token == token))
    request = PlacementRequest(
        items=cart_items(cart) if cart else {},
        identity_id=choice.identity_id,
        address_id=choice.address_id,
        token=token,
        expected_total=choice.expected_total,
    )
    try:
        placed = place_order(tenant, shopper, request, moment)
    except IntegrityError:
        # the same placement from a second device (another token, so another idempotency
        # record) committed its checkout first: this one is that one
        db.session.rollback()
        placed = db.session.scalar(select(Checkout).where(Checkout.token == token))
        if placed is None or placed.shopper_id != shopper.id:
            raise
        return placed
    if earlier is None and cart is not None and cart.items:
        # after the placement's own commit, as the shop empties its cart after placing; a
        # replayed placement leaves the cart alone (it may hold the shopper's next order)
        cart.items = []
        db.session.commit()
    return placed
