"""A placement refused by a limit or mixing rule leaves one refusal row and nothing else."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal as D

import pytest
from sqlalchemy import func, inspect, select

from storefront.extensions import db
from storefront.models import CheckoutRefusal, Order
from storefront.services.checkout import CheckoutRefused, PlacementRequest, place_order
from storefront.tenancy import tenant_context

NOW = datetime(2026, 11, 22, 4, 0, tzinfo=UTC)


@pytest.fixture
def a(app, tenants):
    with app.test_request_context(), tenant_context(tenants.a.tenant.id):
        db.session.commit()  # the refused placement rolls its session back: keep the stores
        yield tenants.a


def _place(a, items):
    request = PlacementRequest(
        items=items,
        identity_id=a.identity.id,
        address_id=a.address.id,
        token=uuid.uuid4().hex,
        expected_total=None,
    )
    return place_order(a.tenant, a.shopper, request, NOW)


def _refusals():
    return db.session.scalars(select(CheckoutRefusal).order_by(CheckoutRefusal.id)).all()


def test_a_limit_refusal_is_recorded_with_its_rule_limit_and_amount(a):
    orders = db.session.scalar(select(func.count()).select_from(Order))
    with pytest.raises(CheckoutRefused) as refused:
        _place(a, {a.product.id: 3})  # 3 x 800.00 of goods: over the 2,000.00 order limit
    assert refused.value.code == "limit_exceeded"  # the shopper is refused as before
    (row,) = _refusals()
    assert (row.code, row.rule, row.limit, row.amount) == (
        "limit_exceeded", "order_limit", D("2000.00"), D("2400.00")
    )  # fmt: skip
    assert row.refused_at == NOW and row.tenant_id == a.tenant.id
    assert db.session.scalar(select(func.count()).select_from(Order)) == orders


def test_a_mixing_refusal_is_recorded_and_holds_no_personal_data(a):
    with pytest.raises(CheckoutRefused):
        _place(a, {a.product.id: 1, a.non_tax_product.id: 1})
    (row,) = _refusals()
    assert (row.code, row.rule, row.limit, row.amount) == (
        "mixed_cart", "tax_and_non_tax", None, None
    )  # fmt: skip
    columns = {column.key for column in inspect(CheckoutRefusal).columns}
    assert columns == {"id", "tenant_id", "code", "rule", "limit", "amount", "refused_at"}


def test_a_placed_order_and_other_refusals_record_nothing(a):
    _place(a, {a.product.id: 1})
    with pytest.raises(CheckoutRefused) as refused:
        _place(a, {})
    assert refused.value.code == "empty_cart"
    assert _refusals() == []
