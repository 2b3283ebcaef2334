"""Demo orders awaiting customs: the demo shopper's paid cross-border orders, placed and paid
as a real checkout is, whose declarations are open and not yet sent (so that
`flask customs declare --all` on a fresh demo has something to declare)."""

import hashlib
from datetime import datetime

from sqlalchemy import select

from storefront.domain.orders import Actor, OrderStatus, Reason
from storefront.extensions import db
from storefront.models import Address, BuyerIdentity, Payment, Product, Shopper, Tenant
from storefront.services import customs
from storefront.services.checkout import PlacementRequest, place_order
from storefront.services.orders import transition_order

PAID_ORDERS = ("CB-100", "DD-800")  # one bonded-stock product of each of two suppliers


def add_paid_orders(tenant: Tenant, shopper_email: str, moment: datetime) -> list[str]:
    """Place and pay one order per SKU for the demo shopper; return the order numbers."""
    shopper = db.session.scalar(select(Shopper).where(Shopper.email == shopper_email))
    address = db.session.scalar(select(Address).where(Address.shopper_id == shopper.id))
    identity = db.session.scalar(
        select(BuyerIdentity).where(BuyerIdentity.shopper_id == shopper.id)
    )
    numbers = []
    for sku in PAID_ORDERS:
        product = db.session.scalar(select(Product).where(Product.sku == sku))
        request = PlacementRequest(
            items={product.id: 1},
            identity_id=identity.id,
            address_id=address.id,
            token=f"demo-customs-{sku}",
            expected_total=None,
        )
        checkout = place_order(tenant, shopper, request, moment)
        numbers += _pay(checkout, identity, moment)
    db.session.commit()
    return numbers


def _pay(checkout, identity: BuyerIdentity, moment: datetime) -> list[str]:
    """Record the payment return as the payment service would, and open the declarations."""
    serial = "DEMO" + hashlib.sha256(checkout.token.encode()).hexdigest()[:16].upper()
    orders = checkout.orders
    payment = Payment(
        checkout_id=checkout.id,
        provider="stripe",
        method="card",
        reference=f"pi_{serial.lower()}",
        status="succeeded",
        amount=checkout.amount,
        goods_total=sum(order.goods_total for order in orders),
        tax_total=sum(order.tax_due for order in orders),
        freight_total=sum(order.freight for order in orders),
        serial_number=serial,
        paid_at=moment,
        payer_name=identity.real_name,
        payer_matches_buyer=True,
    )
    db.session.add(payment)
    for order in orders:
        params = {"reference": serial}
        transition_order(order, OrderStatus.PAID, Actor.SYSTEM, "payment", Reason.PAYMENT, params)
        order.paid_at = moment
        customs.open_declaration(order.id)
    return [order.number for order in orders]
