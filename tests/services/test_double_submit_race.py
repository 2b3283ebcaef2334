"""One checkout page submitted several times at once places one checkout (real connections).

The confirm page carries a token; submits that race past the token's lookup meet its unique
index when they write. Each must then answer the checkout the first one placed: one checkout,
one order, one unit of stock taken, no error. With and without a buyer identity (whose person
lock serialises the submits before their writes, where a non-tax cart has no such lock).
"""

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from storefront.extensions import db
from storefront.models import Order, Product, Shopper, Tenant
from storefront.models.orders import Checkout
from storefront.services.checkout import PlacementRequest, place_order
from storefront.tenancy import system_context, tenant_context
from tests.support import factories
from tests.support.race import all_at_once, race_app

SUBMITS = 8


@pytest.fixture
def racing(database_url, app):
    with race_app(database_url, SUBMITS) as racing_app:
        yield racing_app


def _store(app, tax: bool) -> dict:
    with app.app_context():
        tenant = factories.tenant()
        with tenant_context(tenant.id):
            supplier = factories.supplier()
            if tax:
                template = factories.template()
                product = factories.product(
                    supplier, "100.00", template, "cross_border_retail", stock=5
                )
            else:
                product = factories.product(supplier, "100.00", stock=5)
            shopper = factories.shopper()
            ids = {
                "tenant": tenant.id,
                "shopper": shopper.id,
                "product": product.id,
                "address": factories.address(shopper).id,
                "identity": factories.identity(shopper).id if tax else None,
            }
        db.session.commit()
        db.session.remove()
    return ids


def _submit(app, ids: dict, token: str, barrier) -> int:
    with app.app_context(), tenant_context(ids["tenant"]):
        tenant = db.session.scalar(select(Tenant).where(Tenant.id == ids["tenant"]))
        shopper = db.session.scalar(select(Shopper).where(Shopper.id == ids["shopper"]))
        request = PlacementRequest(
            items={ids["product"]: 1},
            identity_id=ids["identity"],
            address_id=ids["address"],
            token=token,
            expected_total=None,
        )
        barrier.wait()
        try:
            return place_order(tenant, shopper, request, datetime.now(UTC)).id
        finally:
            db.session.remove()


@pytest.mark.parametrize("tax", [True, False], ids=["with identity", "without"])
def test_a_page_submitted_at_once_places_one_checkout(racing, tax):
    ids, token = _store(racing, tax), uuid.uuid4().hex
    placed = all_at_once(SUBMITS, lambda _i, barrier: _submit(racing, ids, token, barrier))
    assert len(set(placed)) == 1  # every submit answers the same checkout
    with racing.app_context(), system_context():
        for model in (Checkout, Order):
            mine = select(func.count()).where(model.shopper_id == ids["shopper"])
            assert db.session.scalar(mine) == 1
        assert db.session.scalar(select(Product.stock).where(Product.id == ids["product"])) == 4
        db.session.remove()
