"""Placing an order: split per supplier, figures recomputed, quota reserved and released."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from storefront.domain.orders import Actor, OrderStatus
from storefront.extensions import db
from storefront.models import Order, OrderEvent, QuotaMovement
from storefront.services import quota
from storefront.services.checkout import CheckoutRefused, PlacementRequest, place_order
from storefront.services.orders import transition_order
from storefront.tenancy import tenant_context
from tests.support import factories

NOW = datetime(2026, 11, 22, 4, 0, tzinfo=UTC)


@pytest.fixture
def store(app, tenants):
    a = tenants.a
    with app.test_request_context(), tenant_context(a.tenant.id):
        other = factories.supplier(name="Tokyo", freight=D("12.00"))
        template = factories.template("5", "6", "7", "51")
        products = {
            "a": a,
            "p1980": factories.product(a.supplier, "1980.00", template, "cross_border_retail"),
            "tokyo": factories.product(other, "150.00", template, "cross_border_retail"),
            "p1500": factories.product(
                a.supplier, "1500.00", template, "cross_border_retail", stock=1
            ),
        }
        # a refused placement rolls its session back before recording the refusal: the
        # stores are committed (into the test's outer transaction, still rolled back after)
        db.session.commit()
        yield products


def request(items, store, expected=None, token=None):
    return PlacementRequest(
        items=items,
        identity_id=store["a"].identity.id,
        address_id=store["a"].address.id,
        token=token or uuid.uuid4().hex,
        expected_total=expected,
    )


def place(store, items, **kwargs):
    a = store["a"]
    return place_order(a.tenant, a.shopper, request(items, store, **kwargs), NOW)


def test_one_order_per_supplier_with_recomputed_figures(store):
    checkout = place(store, {store["p1980"].id: 1, store["tokyo"].id: 1})
    orders = {o.supplier.name: o for o in checkout.orders}
    assert len(orders) == 2
    main = next(o for name, o in orders.items() if name != "Tokyo")
    assert (main.goods_total, main.consumption_tax, main.vat, main.tax_due, main.total) == (
        D("1980.00"),
        D("126.38"),
        D("147.44"),
        D("191.68"),
        D("2171.68"),
    )
    assert orders["Tokyo"].freight == D("12.00")
    assert checkout.amount == sum(o.total for o in checkout.orders)
    assert all(o.status == OrderStatus.PENDING_PAYMENT for o in checkout.orders)
    assert main.lines[0].line_no == 1 and main.number.startswith("KJ20261122")
    events = db.session.scalars(select(OrderEvent).where(OrderEvent.order_id == main.id)).all()
    assert [(e.from_status, e.to_status) for e in events] == [(None, "pending_payment")]


def test_placement_reserves_quota_in_the_ledger_under_a_keyed_hash(store):
    a = store["a"]
    checkout = place(store, {store["p1980"].id: 1})
    movements = db.session.scalars(select(QuotaMovement)).all()
    assert [(m.reason, m.annual_amount) for m in movements] == [("reserve", D("2171.68"))]
    assert a.identity.id_number not in movements[0].person_hash
    assert movements[0].order_id == checkout.orders[0].id
    usage = quota.usage(quota.person_hash(a.identity.id_number), NOW)
    assert usage.annual == D("2171.68")


def test_cancelling_releases_the_quota(store):
    checkout = place(store, {store["p1980"].id: 1})
    order = checkout.orders[0]
    transition_order(order, OrderStatus.CANCELLED, Actor.SHOPPER, "shopper", "changed my mind")
    db.session.commit()
    usage = quota.usage(quota.person_hash(store["a"].identity.id_number), NOW)
    assert usage.annual == D("0.00")
    reasons = db.session.scalars(select(QuotaMovement.reason).order_by(QuotaMovement.id)).all()
    assert reasons == ["reserve", "cancelled"]


def test_partial_release_keeps_the_rest(store):
    order = place(store, {store["p1980"].id: 1}).orders[0]
    quota.release(order, "refund", D("0.5"))
    db.session.commit()
    usage = quota.usage(quota.person_hash(store["a"].identity.id_number), NOW)
    assert usage.annual == D("1085.84")


def test_a_double_submit_returns_the_first_checkout(store):
    token = uuid.uuid4().hex
    first = place(store, {store["p1980"].id: 1}, token=token)
    second = place(store, {store["p1980"].id: 1}, token=token)
    assert first.id == second.id
    assert len(second.orders) == 1
    placed = select(func.count()).select_from(Order).where(Order.checkout_id == first.id)
    assert db.session.scalar(placed) == 1


@pytest.mark.parametrize(
    ("items_of", "code"),
    [
        (lambda s: {}, "empty_cart"),
        (lambda s: {s["p1980"].id: 2}, "limit_exceeded"),
        (lambda s: {s["p1500"].id: 2}, "out_of_stock"),
        (lambda s: {s["p1980"].id: 1, s["a"].non_tax_product.id: 1}, "mixed_cart"),
    ],
)
def test_refusals_write_nothing(store, items_of, code):
    def counts():
        db.session.flush()
        return [
            db.session.scalar(select(func.count()).select_from(model))
            for model in (Order, QuotaMovement)
        ]

    before = counts()
    with pytest.raises(CheckoutRefused) as refused:
        place(store, items_of(store))
    assert refused.value.code == code
    assert counts() == before


def test_a_total_changed_since_the_confirm_page_is_refused(store):
    with pytest.raises(CheckoutRefused) as refused:
        place(store, {store["p1980"].id: 1}, expected=D("2171.67"))
    assert refused.value.code == "price_changed"


def test_the_annual_limit_counts_earlier_orders(store):
    for _ in range(9):  # 9 x 2171.68 = 19545.12
        place(store, {store["p1980"].id: 1})
    with pytest.raises(CheckoutRefused) as refused:
        place(store, {store["p1980"].id: 1})
    assert refused.value.code == "limit_exceeded"
    (violation,) = refused.value.snapshot.violations
    assert (violation.code, violation.amount) == ("annual_limit", D("21716.80"))


def test_stock_is_taken_on_placement(store):
    place(store, {store["p1500"].id: 1})
    assert store["p1500"].stock == 0
