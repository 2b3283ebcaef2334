"""The annual limit holds under 50 concurrent placements by one person (real connections).

Each placement runs in its own thread with its own app context, session and PostgreSQL
connection, all released at once by a barrier. 1000.00 orders with zero tax against the
20000.00 annual limit: exactly 20 must succeed (none lost), 30 be refused, and the ledger
must never pass the limit.
"""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from storefront import create_app
from storefront.extensions import db
from storefront.models import Order, QuotaMovement, Shopper, Tenant
from storefront.services.checkout import CheckoutRefused, PlacementRequest, place_order
from storefront.tenancy import tenant_context
from tests.conftest import app_config, truncate_all
from tests.support import factories

PLACEMENTS = 50


@pytest.fixture
def race_app(database_url, app):
    race = create_app(
        app_config(
            database_url,
            SQLALCHEMY_ENGINE_OPTIONS={"pool_size": PLACEMENTS + 5, "max_overflow": 5},
        )
    )
    yield race
    truncate_all(race)
    with race.app_context():
        db.engine.dispose()


def _setup(race_app) -> dict:
    with race_app.app_context():
        db.session().expire_on_commit = False
        tenant = factories.tenant()
        with tenant_context(tenant.id):
            supplier = factories.supplier()
            free = factories.template("0", "0", "0", "0")
            product = factories.product(
                supplier, "1000.00", free, "cross_border_retail", stock=1000
            )
            shopper = factories.shopper()
            ids = {
                "tenant": tenant.id,
                "shopper": shopper.id,
                "product": product.id,
                "address": factories.address(shopper).id,
                "identity": factories.identity(shopper).id,
            }
        db.session.commit()
        db.session.remove()
    return ids


def _place(race_app, ids: dict, barrier: threading.Barrier) -> str:
    with race_app.app_context(), tenant_context(ids["tenant"]):
        tenant = db.session.get(Tenant, ids["tenant"])
        shopper = db.session.scalar(select(Shopper).where(Shopper.id == ids["shopper"]))
        request = PlacementRequest(
            items={ids["product"]: 1},
            identity_id=ids["identity"],
            address_id=ids["address"],
            token=uuid.uuid4().hex,
            expected_total=D("1000.00"),
        )
        barrier.wait()
        try:
            place_order(tenant, shopper, request, datetime.now(UTC))
        except CheckoutRefused as refused:
            db.session.rollback()
            return refused.code
        finally:
            db.session.remove()
        return "placed"


def test_fifty_concurrent_placements_never_pass_the_annual_limit(race_app):
    ids = _setup(race_app)
    barrier = threading.Barrier(PLACEMENTS)
    with ThreadPoolExecutor(PLACEMENTS) as pool:
        results = list(pool.map(lambda _: _place(race_app, ids, barrier), range(PLACEMENTS)))
    assert results.count("placed") == 20
    assert results.count("limit_exceeded") == 30
    with race_app.app_context():
        reserved = db.session.scalar(select(func.sum(QuotaMovement.annual_amount)))
        with tenant_context(ids["tenant"]):
            orders = db.session.scalar(select(func.count()).select_from(Order))
    assert reserved == D("20000.00")
    assert orders == 20
