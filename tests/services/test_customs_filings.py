"""Customs filings: saving sends a filing to review, the operator decides, unfiled tax products
cannot be sold (seed 000 step 2, seed 001 §4)."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal as D

import pytest
from sqlalchemy import event, select

from storefront.domain.errors import ErrorCode, Refused
from storefront.domain.reviews import ReviewAction
from storefront.extensions import db
from storefront.models import CustomsFiling, ProductFiling
from storefront.services import reviews
from storefront.services.checkout import CheckoutRefused, PlacementRequest, place_order
from storefront.services.customs_filings import (
    ENTERPRISE_KIND,
    PRODUCT_KIND,
    save_customs_filing,
    save_product_filing,
    unfiled_products,
)
from storefront.services.errors import NotFound
from storefront.tenancy import tenant_context
from tests.support import factories

NOW = datetime(2026, 11, 22, 4, 0, tzinfo=UTC)
ENTERPRISE = factories.ENTERPRISE_FILING
PRODUCT = {
    "hs_code": "3304990099",
    "record_no": "REC000001",
    "origin_country": "116",
    "unit": "007",
    "unit1": "035",
    "qty1_per_unit": D("0.05"),
    "unit2": "",
    "qty2_per_unit": None,
    "gross_weight": D("0.2"),
    "net_weight": D("0.05"),
    "model": "面霜;50g",
    "bar_code": "",
    "postal_tax_number": "",
}


@pytest.fixture
def a(app, tenants):
    with app.test_request_context(), tenant_context(tenants.a.tenant.id):
        yield tenants.a


def _store_filing() -> CustomsFiling:
    return db.session.scalar(select(CustomsFiling))


def _filing_of(product) -> ProductFiling:
    return db.session.scalar(select(ProductFiling).where(ProductFiling.product_id == product.id))


def test_a_new_enterprise_filing_waits_for_review(app, session):
    store = factories.tenant()
    with app.test_request_context(), tenant_context(store.id):
        assert save_customs_filing(ENTERPRISE, "owner@example.com") is True
        filing = _store_filing()
        assert (filing.review_state, filing.enterprise_code, filing.review_version) == (
            "submitted",
            "3105960ABC",
            1,
        )
        [step] = reviews.history(ENTERPRISE_KIND, filing.id)
        assert (step.action, step.from_state, step.to_state, step.actor, step.actor_kind) == (
            "submit",
            "draft",
            "submitted",
            "owner@example.com",
            "staff",
        )


def test_any_change_sends_an_approved_filing_back_as_a_new_version(a):
    filing = _store_filing()  # the factory's, approved at version 1
    save_customs_filing({**ENTERPRISE, **_columns(filing)}, "staff@example.com")
    assert filing.review_state == "approved"  # nothing changed: the approval stands
    before = filing.submitted_at
    changed = {**_columns(filing), "port_code": "2201"}
    assert save_customs_filing(changed, "staff@example.com") is True
    assert (filing.review_state, filing.port_code, filing.review_version) == (
        "submitted",
        "2201",
        2,
    )
    assert filing.submitted_at > before


def test_a_filing_in_the_queue_is_not_changed_until_the_operator_decides(a):
    filing = _store_filing()
    save_customs_filing({**_columns(filing), "port_code": "2201"}, "staff@example.com")
    with pytest.raises(Refused) as refused:
        save_customs_filing({**_columns(filing), "port_code": "2202"}, "staff@example.com")
    assert refused.value.code == ErrorCode.UNDER_REVIEW
    db.session.expire_all()
    assert (_store_filing().port_code, _store_filing().review_version) == ("2201", 2)


def _columns(filing) -> dict:
    return {name: getattr(filing, name) for name in ENTERPRISE}


def test_a_product_filing_is_one_per_product_and_only_for_tax_products(a):
    product = factories.product(a.supplier, "99.00", a.template, "cross_border_retail", filed=False)
    assert save_product_filing(product.id, PRODUCT, "staff:1") is True
    filing_id = _filing_of(product).id
    reviews.decide(PRODUCT_KIND, filing_id, ReviewAction.ASK_CHANGES, "HS 有误", "op@x.cn", 1)
    assert save_product_filing(product.id, {**PRODUCT, "hs_code": "3304100000"}, "staff:1")
    rows = db.session.scalars(select(ProductFiling).where(ProductFiling.product_id == product.id))
    assert [(row.hs_code, row.review_state, row.review_version) for row in rows] == [
        ("3304100000", "submitted", 2)
    ]
    assert save_product_filing(product.id, {**PRODUCT, "hs_code": "3304100000"}, "x") is False
    with pytest.raises(NotFound):
        save_product_filing(a.non_tax_product.id, PRODUCT, "staff:1")


def test_another_stores_product_cannot_be_filed(a, tenants):
    with pytest.raises(NotFound):
        save_product_filing(tenants.b.product.id, PRODUCT, "staff:1")
    with tenant_context(tenants.b.tenant.id):
        assert _filing_of(tenants.b.product).hs_code == "3304990099"  # untouched


@pytest.mark.parametrize(
    ("store_status", "product_status", "unfiled"),
    [
        ("approved", "approved", False),
        ("approved", "submitted", True),
        ("approved", "needs_changes", True),
        ("approved", "rejected", True),
        ("approved", None, True),  # never filed
        ("submitted", "approved", True),
        ("needs_changes", "approved", True),
        ("rejected", "approved", True),
        (None, "approved", True),  # the store never filed
    ],
)
def test_a_tax_product_sells_only_with_both_filings_approved(
    app, session, store_status, product_status, unfiled
):
    store = factories.tenant()
    with app.test_request_context(), tenant_context(store.id):
        if store_status:
            factories.customs_filing(review_state=store_status)
        supplier, template = factories.supplier(), factories.template()
        taxed = factories.product(supplier, "10.00", template, "direct_mail", filed=False)
        plain = factories.product(supplier, "10.00", name="普通商品")
        if product_status:
            factories.product_filing(taxed, review_state=product_status)
        expected = [taxed.name] if unfiled else []
        assert unfiled_products([taxed.id, plain.id]) == expected


def test_the_product_filings_are_read_in_one_query(a):
    products = [
        factories.product(a.supplier, "10.00", a.template, "cross_border_retail", filed=False)
        for _ in range(5)
    ]
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        names = unfiled_products(p.id for p in [*products, a.product])
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert names == [p.name for p in products]
    assert sum("product_filings" in s for s in statements) == 1


def test_checkout_refuses_an_unfiled_product(a):
    product = factories.product(a.supplier, "99.00", a.template, "cross_border_retail", filed=False)
    request = PlacementRequest(
        items={product.id: 1},
        identity_id=a.identity.id,
        address_id=a.address.id,
        token=uuid.uuid4().hex,
        expected_total=None,
    )
    with pytest.raises(CheckoutRefused) as refused:
        place_order(a.tenant, a.shopper, request, NOW)
    assert refused.value.code == ErrorCode.NOT_FILED
    assert refused.value.snapshot.unfiled == [product.name]
    factories.product_filing(product)
    assert place_order(a.tenant, a.shopper, request, NOW).orders
