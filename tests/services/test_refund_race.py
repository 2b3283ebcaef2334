"""Refunds and payment events under real concurrency (threads, own connections, PostgreSQL).

Each call runs in its own thread with its own app context and session, all released at once
by a barrier; payments are real ones on the local Stripe server.
"""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from storefront import create_app
from storefront.domain.errors import Refused
from storefront.extensions import db
from storefront.models import Order, OrderEvent, Payment, QuotaMovement, Refund
from storefront.services import refunds
from storefront.services.checkout import PlacementRequest, place_order
from storefront.services.payments import reconcile, start_payment
from storefront.tenancy import tenant_context
from tests.conftest import app_config, truncate_all
from tests.support import factories
from tests.support.localstripe import confirm_card

CALLS = 10


@pytest.fixture
def race_app(database_url, app, stripe_server):
    race = create_app(
        app_config(
            database_url,
            STRIPE_API_BASE=stripe_server,
            SQLALCHEMY_ENGINE_OPTIONS={"pool_size": CALLS + 5, "max_overflow": 5},
        )
    )
    yield race
    truncate_all(race)
    with race.app_context():
        db.engine.dispose()


def paid_order(race_app, stripe_server, settle: bool = True) -> dict:
    """A 1000.00 order (no tax), paid by card through the real code path; committed.

    Without `settle` the provider has the money but no event has been applied yet.
    """
    with race_app.app_context():
        db.session().expire_on_commit = False
        tenant = factories.tenant()
        with tenant_context(tenant.id):
            free = factories.template("0", "0", "0", "0")
            product = factories.product(
                factories.supplier(), "1000.00", free, "cross_border_retail", stock=100
            )
            shopper = factories.shopper()
            placed = place_order(
                tenant,
                shopper,
                PlacementRequest(
                    items={product.id: 1},
                    identity_id=factories.identity(shopper).id,
                    address_id=factories.address(shopper).id,
                    token=uuid.uuid4().hex,
                    expected_total=D("1000.00"),
                ),
                datetime.now(UTC),
            )
            payment, view = start_payment(placed, "card", "http://127.0.0.1/back")
            confirm_card(stripe_server, view.client_secret, "4242424242424242")
            if settle:
                reconcile(payment)
            db.session.commit()
            ids = {"tenant": tenant.id, "order": placed.orders[0].id, "payment": payment.id}
        db.session.remove()
    return ids


def _in_parallel(race_app, ids: dict, call) -> list[str]:
    barrier = threading.Barrier(CALLS)

    def one(index: int) -> str:
        with race_app.app_context(), tenant_context(ids["tenant"]):
            try:
                barrier.wait()
                return call(index)
            except Refused as refused:
                db.session.rollback()
                return refused.code
            finally:
                db.session.remove()

    with ThreadPoolExecutor(CALLS) as pool:
        return list(pool.map(one, range(CALLS)))


def _refund(ids: dict, amount: str, key: str) -> str:
    order = db.session.get(Order, ids["order"])
    refunds.refund_order(order, D(amount), "staff", key)
    return "refunded"


def _books(race_app, ids: dict) -> tuple[D, D, int, D]:
    """Refunded on the order, on the payment, refund rows, and quota still held."""
    with race_app.app_context(), tenant_context(ids["tenant"]):
        order = db.session.get(Order, ids["order"])
        payment = db.session.get(Payment, ids["payment"])
        rows = db.session.scalar(select(func.count()).select_from(Refund))
        held = db.session.scalar(
            select(func.sum(QuotaMovement.annual_amount)).where(
                QuotaMovement.order_id == ids["order"]
            )
        )
        return order.refunded, payment.refunded, rows, held


def test_ten_simultaneous_full_refunds_refund_once(race_app, stripe_server):
    ids = paid_order(race_app, stripe_server)
    results = _in_parallel(
        race_app, ids, lambda i: _refund(ids, "1000.00", f"full-{i}-{uuid.uuid4().hex}")
    )
    assert results.count("refunded") == 1
    assert results.count("invalid_amount") == CALLS - 1
    assert _books(race_app, ids) == (D("1000.00"), D("1000.00"), 1, D("0.00"))


def test_ten_simultaneous_part_refunds_never_pass_the_paid_total(race_app, stripe_server):
    ids = paid_order(race_app, stripe_server)
    results = _in_parallel(
        race_app, ids, lambda i: _refund(ids, "300.00", f"part-{i}-{uuid.uuid4().hex}")
    )
    assert results.count("refunded") == 3
    # quota released equals refunds recorded: 900.00 of 1000.00 released, 100.00 held
    assert _books(race_app, ids) == (D("900.00"), D("900.00"), 3, D("100.00"))


def test_one_request_submitted_ten_times_refunds_once(race_app, stripe_server):
    ids = paid_order(race_app, stripe_server)
    results = _in_parallel(race_app, ids, lambda i: _refund(ids, "100.00", "same-request"))
    assert results == ["refunded"] * CALLS  # every submit answers; only one refund is made
    assert _books(race_app, ids) == (D("100.00"), D("100.00"), 1, D("900.00"))


def test_simultaneous_success_events_make_one_paid_transition(race_app, stripe_server):
    ids = paid_order(race_app, stripe_server, settle=False)

    def apply(_index: int) -> str:
        payment = db.session.get(Payment, ids["payment"])
        outcome = reconcile(payment)
        db.session.commit()
        return outcome

    _in_parallel(race_app, ids, apply)
    with race_app.app_context(), tenant_context(ids["tenant"]):
        paid = db.session.scalar(
            select(func.count())
            .select_from(OrderEvent)
            .where(OrderEvent.order_id == ids["order"], OrderEvent.to_status == "paid")
        )
        status = db.session.get(Order, ids["order"]).status
    assert (paid, status) == (1, "paid")
