"""Inbound registrations racing on real connections (seed 001 §12): the product's row lock
makes the stock rise by every note exactly once, and a note registered twice at once counts
once. (Load the product without `locked` and the stock loses updates.)"""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from storefront.extensions import db
from storefront.models import BondedStockMovement, Product
from storefront.services.bonded_stock import (
    Inbound,
    InboundProblem,
    InboundRefused,
    register_inbound,
)
from storefront.tenancy import tenant_context
from tests.support import factories
from tests.support.race import all_at_once, race_app

THREADS = 8
NOW = datetime(2026, 3, 5, 2, 0, tzinfo=UTC)


@pytest.fixture
def racing(database_url, app):
    with race_app(database_url, THREADS) as racing_app:
        yield racing_app


def _setup(app) -> tuple[int, int]:
    with app.app_context():
        tenant = factories.tenant()
        with tenant_context(tenant.id):
            supplier, template = factories.supplier(), factories.template()
            product = factories.product(supplier, "100.00", template, "cross_border_retail")
            ids = tenant.id, product.id
        db.session.commit()
        db.session.remove()
    return ids


def _register(app, ids, number: str, barrier) -> str:
    tenant_id, product_id = ids
    with app.app_context(), tenant_context(tenant_id):
        barrier.wait()
        try:
            register_inbound(Inbound(product_id, 5, date(2026, 2, 1), number, None), "t", NOW)
        except InboundRefused as refused:
            return refused.problem
        finally:
            db.session.remove()
        return "registered"


def _state(app, ids) -> tuple[int, int]:
    tenant_id, product_id = ids
    with app.app_context(), tenant_context(tenant_id):
        stock = db.session.get(Product, product_id).stock
        movements = db.session.scalar(select(func.count()).select_from(BondedStockMovement))
        db.session.remove()
    return stock, movements


def test_every_note_raises_the_stock_once(racing):
    ids = _setup(racing)
    results = all_at_once(THREADS, lambda i, b: _register(racing, ids, f"RK-{i}", b))
    assert results == ["registered"] * THREADS
    assert _state(racing, ids) == (100 + 5 * THREADS, THREADS)


def test_the_same_note_at_once_counts_once(racing):
    ids = _setup(racing)
    results = all_at_once(THREADS, lambda i, b: _register(racing, ids, "RK-SAME", b))
    assert sorted(results) == [InboundProblem.DUPLICATE] * (THREADS - 1) + ["registered"]
    assert _state(racing, ids) == (105, 1)
