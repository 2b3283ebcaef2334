"""Stock under concurrent checkouts: 40 shoppers, 20 in stock, real parallel requests.

Each shopper (a different person) signs in, fills the cart and opens the confirm page in
its own client, app context and PostgreSQL connection; then all 40 place at once. Exactly 20
orders may be placed, and the stock ends at 0, never below; cancelling gives stock back.
"""

import re

import pytest
from sqlalchemy import select

from storefront.domain.orders import Actor
from storefront.extensions import db
from storefront.models import Order, Product
from storefront.services import fulfilment
from storefront.tenancy import tenant_context
from tests.support import factories
from tests.support.race import all_at_once, race_app

SHOPPERS, STOCK = 40, 20


@pytest.fixture
def shop(database_url, app):
    with race_app(database_url, SHOPPERS) as racing:
        yield racing


def _setup(app) -> dict:
    with app.app_context():
        tenant = factories.tenant()
        with tenant_context(tenant.id):
            product = factories.product(factories.supplier(), "30.00", stock=STOCK)
            shoppers = []
            for n in range(SHOPPERS):
                shopper = factories.shopper()
                address = factories.address(shopper)
                identity = factories.identity(shopper, factories.resident_id(n))
                shoppers.append((shopper.email, address.id, identity.id))
        ids = {"slug": tenant.slug, "tenant": tenant.id, "product": product.id}
        db.session.commit()
        db.session.remove()
    return {**ids, "shoppers": shoppers}


def _checkout(app, ids: dict, n: int, barrier) -> int:
    email, address_id, identity_id = ids["shoppers"][n]
    store, client = f"/s/{ids['slug']}", app.test_client()
    client.post(f"{store}/login", data={"email": email, "password": factories.PASSWORD})
    client.post(f"{store}/cart/items", data={"product_id": ids["product"], "quantity": 1})
    page = client.get(f"{store}/checkout").get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="(\w+)"', page).group(1)
    barrier.wait()
    form = {"address_id": address_id, "identity_id": identity_id, "token": token}
    return client.post(f"{store}/checkout", data=form).status_code


def _stock_and_orders(app, ids):
    with app.app_context(), tenant_context(ids["tenant"]):
        stock = db.session.scalar(select(Product.stock).where(Product.id == ids["product"]))
        orders = db.session.scalars(select(Order)).all()
        return stock, orders


def test_concurrent_checkouts_never_take_more_than_the_stock(shop):
    ids = _setup(shop)
    codes = all_at_once(SHOPPERS, lambda n, barrier: _checkout(shop, ids, n, barrier))
    stock, orders = _stock_and_orders(shop, ids)
    assert len(orders) == STOCK
    assert codes.count(302) == STOCK  # placed: on to the payment page
    assert stock == 0
    with shop.app_context(), tenant_context(ids["tenant"]):
        order = db.session.scalar(select(Order).limit(1))
        fulfilment.cancel(order, Actor.SHOPPER, "shopper", "changed my mind")
    stock, _orders = _stock_and_orders(shop, ids)
    assert stock == 1
