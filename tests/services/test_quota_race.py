"""One person's annual limit holds under concurrent placements in two stores (real connections).

50 placements by one ID number, alternating between two stores, each of a product of its own,
so no product lock serialises them: only the per-person ledger lock can. 1000.00 orders with zero
tax against the 20000.00 annual limit: exactly 20 must succeed, 30 be refused, and the
ledger must never pass the limit. (Remove `quota.lock_person` and this test fails.)
"""

import uuid
from datetime import UTC, datetime
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from storefront.extensions import db
from storefront.models import Order, QuotaMovement, Shopper, Tenant
from storefront.services.checkout import CheckoutRefused, PlacementRequest, place_order
from storefront.tenancy import system_context, tenant_context
from tests.support import factories
from tests.support.race import all_at_once, race_app

PLACEMENTS = 50
PERSON = factories.VALID_IDS[1]


@pytest.fixture
def racing(database_url, app):
    with race_app(database_url, PLACEMENTS) as racing_app:
        yield racing_app


def _store() -> dict:
    tenant = factories.tenant()
    with tenant_context(tenant.id):
        template, supplier = factories.template("0", "0", "0", "0"), factories.supplier()
        products = [
            factories.product(supplier, "1000.00", template, "cross_border_retail").id
            for _ in range(PLACEMENTS // 2)
        ]
        shopper = factories.shopper()
        return {
            "tenant": tenant.id,
            "shopper": shopper.id,
            "products": products,
            "address": factories.address(shopper).id,
            "identity": factories.identity(shopper, PERSON).id,
        }


def _setup(app) -> list[dict]:
    with app.app_context():
        stores = [_store(), _store()]
        db.session.commit()
        db.session.remove()
    return stores


def _place(app, ids: dict, product: int = 0, barrier=None) -> str:
    with app.app_context(), tenant_context(ids["tenant"]):
        tenant = db.session.scalar(select(Tenant).where(Tenant.id == ids["tenant"]))
        shopper = db.session.scalar(select(Shopper).where(Shopper.id == ids["shopper"]))
        request = PlacementRequest(
            items={ids["products"][product]: 1},
            identity_id=ids["identity"],
            address_id=ids["address"],
            token=uuid.uuid4().hex,
            expected_total=D("1000.00"),
        )
        if barrier is not None:
            barrier.wait()
        try:
            place_order(tenant, shopper, request, datetime.now(UTC))
        except CheckoutRefused as refused:
            return refused.code
        finally:
            db.session.remove()
        return "placed"


def _ledger_and_orders(app) -> tuple[D, int]:
    with app.app_context(), system_context():
        reserved = db.session.scalar(select(func.sum(QuotaMovement.annual_amount)))
        orders = db.session.scalar(select(func.count()).select_from(Order))
    return reserved, orders


def test_fifty_concurrent_placements_in_two_stores_never_pass_the_annual_limit(racing):
    stores = _setup(racing)
    results = all_at_once(
        PLACEMENTS, lambda n, barrier: _place(racing, stores[n % 2], n // 2, barrier)
    )
    assert results.count("placed") == 20
    assert results.count("limit_exceeded") == 30
    assert _ledger_and_orders(racing) == (D("20000.00"), 20)


def test_one_id_number_shares_its_annual_limit_between_stores(racing):
    first, second = _setup(racing)
    assert [_place(racing, first) for _ in range(15)] == ["placed"] * 15
    assert [_place(racing, second) for _ in range(6)] == ["placed"] * 5 + ["limit_exceeded"]
    assert _ledger_and_orders(racing) == (D("20000.00"), 20)
