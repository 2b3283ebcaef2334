"""Each order move happens once, however many identical requests race (real parallel requests).

Ten shoppers' tabs cancel one unpaid order at once: one cancellation is logged, one event
raised, the stock given back once. (Without the row lock in `transition_order` all ten
succeed and the stock grows by ten.)
"""

import uuid

import pytest
from sqlalchemy import func, select

from storefront.domain.orders import OrderStatus
from storefront.extensions import db
from storefront.models import OrderEvent, OutboxEvent, Product
from storefront.tenancy import tenant_context
from tests.support import factories
from tests.support.race import all_at_once, race_app

TABS = 10


@pytest.fixture
def racing(database_url, app):
    with race_app(database_url, TABS) as racing_app:
        yield racing_app


def _unpaid_order(app) -> dict:
    with app.app_context():
        store = factories.store(f"race{uuid.uuid4().hex[:8]}")
        with tenant_context(store.tenant.id):
            store.order.status = OrderStatus.PENDING_PAYMENT
            ids = {
                "slug": store.tenant.slug,
                "tenant": store.tenant.id,
                "order": store.order.id,
                "product": store.product.id,
                "email": store.shopper.email,
                "stock": store.product.stock,
            }
            db.session.commit()
        db.session.remove()
    return ids


def _cancel(app, ids: dict, barrier) -> int:
    client, store = app.test_client(), f"/s/{ids['slug']}"
    client.post(f"{store}/login", data={"email": ids["email"], "password": factories.PASSWORD})
    barrier.wait()
    return client.post(f"{store}/orders/{ids['order']}/cancel").status_code


def test_ten_simultaneous_cancels_cancel_once(racing):
    ids = _unpaid_order(racing)
    codes = all_at_once(TABS, lambda _n, barrier: _cancel(racing, ids, barrier))
    assert sorted(codes)[0] == 302 and codes.count(302) + codes.count(409) == TABS
    with racing.app_context(), tenant_context(ids["tenant"]):
        cancelled = db.session.scalar(
            select(func.count())
            .select_from(OrderEvent)
            .where(OrderEvent.order_id == ids["order"], OrderEvent.to_status == "cancelled")
        )
        events = db.session.scalar(
            select(func.count())
            .select_from(OutboxEvent)
            .where(OutboxEvent.name == "order.cancelled")
        )
        stock = db.session.scalar(select(Product.stock).where(Product.id == ids["product"]))
    assert (cancelled, events) == (1, 1)
    assert stock == ids["stock"] + 1  # the one unit of the order, back once
