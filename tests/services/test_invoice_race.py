"""Invoicing under real concurrency (threads, own connections, PostgreSQL): a shopper's
request and the order's issuance each happen once however many arrive at the same moment."""

import pytest
from sqlalchemy import func, select

from storefront.extensions import db
from storefront.integrations import registry
from storefront.models import Invoice, InvoiceRequest
from storefront.ports import Port
from storefront.services import invoice_issuing, invoice_requests
from storefront.services.invoice_requests import InvoiceRefusal, InvoiceRefused
from storefront.tenancy import tenant_context
from tests.support import factories
from tests.support.invoices import domestic_order, set_up
from tests.support.race import all_at_once, race_app

CALLS = 8


@pytest.fixture
def racing(database_url, app, tmp_path):
    # a sandbox provider of its own: the race app's ids restart where other tests' did
    with race_app(database_url, CALLS, SANDBOX_DIR=str(tmp_path)) as racing:
        yield racing


def _store_and_order(app, mode: str, orders: int = 1) -> dict:
    with app.app_context():
        db.session().expire_on_commit = False
        store = factories.store("invoice-race")
        db.session.commit()
        set_up(store, trigger="paid", mode=mode)
        made = [domestic_order(store).id for _ in range(orders)]
        ids = {"tenant": store.tenant.id, "shopper": store.shopper.id, "orders": made}
        db.session.remove()
    return ids


def _in_tenant(app, ids: dict, work):
    def run(_n: int, barrier):
        with app.app_context(), tenant_context(ids["tenant"]):
            try:
                barrier.wait()
                return work()
            except InvoiceRefused as refused:
                return refused.code
            finally:
                db.session.remove()

    return run


def test_requests_at_the_same_moment_make_one_and_refuse_the_others(racing):
    ids = _store_and_order(racing, mode="async", orders=3)  # three races: a lost one shows
    for order_id in ids["orders"]:

        def ask(order_id=order_id):
            invoice_requests.request_invoice(order_id, ids["shopper"], "personal", "张三")
            return "requested"

        outcomes = all_at_once(CALLS, _in_tenant(racing, ids, ask))
        assert sorted(outcomes) == sorted(
            ["requested"] + [InvoiceRefusal.ALREADY_REQUESTED] * (CALLS - 1)
        )
    with racing.app_context(), tenant_context(ids["tenant"]):
        assert db.session.scalar(select(func.count(InvoiceRequest.id))) == 3
        assert db.session.scalar(select(func.count(Invoice.id))) == 3


def test_issuance_started_at_the_same_moment_asks_the_provider_once(racing):
    ids = _store_and_order(racing, mode="sync")
    (order_id,) = ids["orders"]
    with racing.app_context(), tenant_context(ids["tenant"]):
        request = InvoiceRequest(
            order_id=order_id, title_kind="personal", title_name="张三", title_tax_id=""
        )
        db.session.add(request)
        db.session.commit()

    all_at_once(CALLS, _in_tenant(racing, ids, lambda: invoice_issuing.advance_order(order_id)))
    with racing.app_context(), tenant_context(ids["tenant"]):
        states = db.session.scalars(select(Invoice.state)).all()
        sandbox = registry.get(Port.INVOICE, ids["tenant"]).stores["requests"].all()
    assert states == ["issued"] and len(sandbox) == 1
