"""Bonded stock movements and the monthly supervised-area report (seed 001 §12): written when
the warehouse ships and when goods are registered in, summed per product, generated once per
month (again on demand), by the sweep for last month, never across stores."""

from datetime import UTC, date, datetime
from decimal import Decimal as D

import pytest
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from storefront.domain.orders import OrderStatus
from storefront.extensions import db
from storefront.models import AreaReport, BondedStockMovement, Product, ProductFiling
from storefront.queries import area_reports as queries
from storefront.services import area_reports, bonded_stock
from storefront.services.bonded_stock import Inbound, InboundProblem, InboundRefused
from storefront.tenancy import system_context, tenant_context
from tests.services.test_customs_flow import collect_and_advance, declare
from tests.support import factories

NOW = datetime(2026, 3, 5, 2, 0, tzinfo=UTC)  # 10:00 on 5 March in China
FEBRUARY = date(2026, 2, 1)


def movements(store) -> list[BondedStockMovement]:
    with tenant_context(store.tenant.id):
        return list(db.session.scalars(select(BondedStockMovement).order_by("id")))


def inbound(store, quantity=10, on=date(2026, 2, 10), number="RK-001", value=None, product=None):
    with tenant_context(store.tenant.id):
        product_id = (product or store.product).id
        return bonded_stock.register_inbound(
            Inbound(product_id, quantity, on, number, value), "staff:1 Owner", NOW
        )


def shipped(store, at: datetime, quantity: int = 1):
    """The store's order, shipped by the bonded warehouse at `at` (as `ship_released` does)."""
    with tenant_context(store.tenant.id):
        order = store.order
        order.lines[0].quantity, order.lines[0].amount = quantity, D("800.00") * quantity
        order.shipped_at = at
        return bonded_stock.record_shipment(order, "system")


def stock(store) -> int:
    with tenant_context(store.tenant.id):
        db.session.expire_all()
        return db.session.get(Product, store.product.id).stock


def test_the_warehouse_shipping_a_released_order_writes_what_left_the_area(tenants):
    a = tenants.a
    declare(a)
    collect_and_advance()
    collect_and_advance()  # released, then the sandbox warehouse ships it
    with tenant_context(a.tenant.id):
        db.session.expire_all()
        assert a.order.status == OrderStatus.SHIPPED
        filing = db.session.scalar(select(ProductFiling))
    [out] = movements(a)
    line = a.order.lines[0]
    assert (out.direction, out.reference) == ("out", a.order.number)
    assert out.product_id == line.product_id
    assert (out.quantity, out.value, out.order_line_id) == (1, D("800.00"), line.id)
    assert (out.hs_code, out.record_no, out.unit) == (filing.hs_code, filing.record_no, "007")
    assert out.at == a.order.shipped_at and out.recorded_by.startswith("system")
    with tenant_context(a.tenant.id):
        assert bonded_stock.record_shipment(a.order, "system") == 0  # once per order line
    assert len(movements(a)) == 1
    assert movements(tenants.b) == []


def test_registering_goods_in_raises_the_stock_once_and_copies_the_filing(tenants):
    a = tenants.a
    before = stock(a)
    movement = inbound(a, quantity=12, value=D("5000.00"))
    assert stock(a) == before + 12
    assert (movement.direction, movement.reference, movement.value) == ("in", "RK-001", D("5000"))
    assert movement.at == datetime(2026, 2, 9, 16, 0, tzinfo=UTC)  # midnight in China
    with pytest.raises(InboundRefused) as refused:
        inbound(a, quantity=12)
    assert refused.value.problem == InboundProblem.DUPLICATE
    assert stock(a) == before + 12
    assert len(movements(a)) == 1


def test_an_inbound_without_value_is_valued_at_the_price(tenants):
    movement = inbound(tenants.a, quantity=3, number="RK-002")
    assert movement.value == D("2400.00")  # 3 × 800.00


@pytest.mark.parametrize(
    ("product", "on", "problem"),
    [
        ("non_tax_product", date(2026, 2, 1), InboundProblem.NOT_BONDED),
        ("product", date(2026, 3, 6), InboundProblem.FUTURE_DATE),
        ("product", date(1, 1, 1), InboundProblem.TOO_EARLY),
        ("product", date(2013, 12, 31), InboundProblem.TOO_EARLY),
    ],
)
def test_inbound_refusals_leave_the_stock_alone(tenants, product, on, problem):
    a = tenants.a
    row = getattr(a, product)
    with tenant_context(a.tenant.id):
        before = db.session.get(Product, row.id).stock
    with pytest.raises(InboundRefused) as refused:
        inbound(a, on=on, product=row)
    assert refused.value.problem == problem
    with tenant_context(a.tenant.id):
        db.session.expire_all()
        assert db.session.get(Product, row.id).stock == before
    assert movements(a) == []


def test_direct_mail_goods_never_enter_the_bonded_area(tenants):
    a = tenants.a
    with tenant_context(a.tenant.id):
        mail = factories.product(a.supplier, "300.00", a.template, "direct_mail")
    with pytest.raises(InboundRefused):
        inbound(a, product=mail)


def test_an_unapproved_filing_is_not_bonded_stock(tenants):
    a = tenants.a
    with tenant_context(a.tenant.id):
        pending = factories.product(a.supplier, "300.00", a.template, "cross_border_retail")
        db.session.scalar(
            select(ProductFiling).where(ProductFiling.product_id == pending.id)
        ).review_state = "submitted"
    with pytest.raises(InboundRefused):
        inbound(a, product=pending)


def _february(store):
    """Two notes in, one shipment out in February; one of each outside it (China time)."""
    with tenant_context(store.tenant.id):
        other = factories.product(store.supplier, "50.00", store.template, "cross_border_retail")
    inbound(store, 10, date(2026, 2, 1), "RK-1", D("6000.00"))
    inbound(store, 5, date(2026, 2, 28), "RK-2", D("3000.00"))
    inbound(store, 4, date(2026, 2, 3), "RK-1", D("150.00"), product=other)
    inbound(store, 7, date(2026, 1, 31), "RK-0", D("1.00"))  # January
    shipped(store, datetime(2026, 2, 28, 15, 59, tzinfo=UTC), quantity=2)  # 23:59 28 Feb
    return other


def test_the_report_sums_what_entered_and_left_per_product(tenants):
    a = tenants.a
    other = _february(a)
    with tenant_context(a.tenant.id):
        report = area_reports.generate(FEBRUARY, "staff:1 Owner", NOW)
        view = queries.report_view(report.id, page=None)
    rows = {row.sku: row for row in view.summary}
    assert set(rows) == {a.product.sku, other.sku}
    main = rows[a.product.sku].figures
    assert (main.in_quantity, main.in_value) == (15, D("9000.00"))
    assert (main.out_quantity, main.out_value) == (2, D("1600.00"))
    assert (main.net_quantity, main.net_value) == (13, D("7400.00"))
    assert rows[a.product.sku].hs_code == "3304990099" and rows[a.product.sku].unit == "007"
    small = rows[other.sku].figures
    assert (small.in_quantity, small.in_value, small.out_quantity) == (4, D("150.00"), 0)
    assert view.totals == queries.Figures(19, D("9150.00"), 2, D("1600.00"))
    assert [m.reference for m in view.detail] == ["RK-1", "RK-1", "RK-2", a.order.number]
    assert view.store_name == a.tenant.name


def test_generating_again_replaces_the_report_and_takes_late_goods_in(tenants):
    a = tenants.a
    _february(a)
    with tenant_context(a.tenant.id):
        first = area_reports.generate(FEBRUARY, "system", NOW)
    inbound(a, 1, date(2026, 2, 20), "RK-LATE", D("600.00"))  # registered after generation
    with tenant_context(a.tenant.id):
        listing = queries.reports(1, 20)
        assert listing.waiting[first.id] == 1
        assert listing.figures[first.id].in_quantity == 19  # the report as generated
        again = area_reports.generate(FEBRUARY, "staff:1 Owner", NOW)
        assert again.id == first.id and again.generated_by == "staff:1 Owner"
        assert db.session.scalars(select(AreaReport)).all() == [again]
        listing = queries.reports(1, 20)
    assert listing.waiting[first.id] == 0
    assert listing.figures[first.id].in_quantity == 20


def test_a_month_is_reported_once_it_is_over(tenants):
    with tenant_context(tenants.a.tenant.id), pytest.raises(area_reports.MonthNotOver):
        area_reports.generate(date(2026, 3, 1), "system", NOW)


def test_the_sweep_generates_last_months_report_once_in_every_store(tenants):
    _february(tenants.a)
    first = area_reports.generate_due(NOW)
    assert {tenants.a.tenant.slug, tenants.b.tenant.slug} <= set(first)
    assert area_reports.generate_due(NOW) == []
    with system_context():
        months = db.session.scalars(
            select(AreaReport.month).where(AreaReport.tenant_id == tenants.a.tenant.id)
        ).all()
    assert months == [FEBRUARY]
    with tenant_context(tenants.a.tenant.id):
        [report] = queries.reports(1, 20).page.items
        assert report.generated_by == "system"
        assert queries.reports(1, 20).figures[report.id].in_quantity == 19


def test_a_store_sees_neither_the_movements_nor_the_reports_of_another(tenants):
    a, b = tenants.a, tenants.b
    _february(a)
    inbound(b, 3, date(2026, 2, 5), "RK-B", D("30.00"))
    with tenant_context(b.tenant.id):
        b_report = area_reports.generate(FEBRUARY, "system", NOW)
    with tenant_context(a.tenant.id):
        a_report = area_reports.generate(FEBRUARY, "system", NOW)
        view = queries.report_view(a_report.id, page=None)
        assert "RK-B" not in [m.reference for m in view.detail]
        with pytest.raises(NotFound):
            queries.report_view(b_report.id)
    operator = queries.operator_reports(b.tenant.id, 1, 20)
    assert [r.id for r in operator.page.items] == [b_report.id]
    assert operator.stores == {b.tenant.id: b.tenant.name}
    assert queries.operator_report_view(b_report.id, page=None).totals.in_quantity == 3


@pytest.mark.parametrize(
    ("now", "previous"),
    [
        (datetime(2026, 1, 10, 0, 0, tzinfo=UTC), date(2025, 12, 1)),
        (datetime(2026, 2, 28, 16, 30, tzinfo=UTC), date(2026, 2, 1)),  # 1 March in China
        (datetime(2026, 2, 28, 15, 30, tzinfo=UTC), date(2026, 1, 1)),
    ],
)
def test_last_month_is_counted_in_china_time(now, previous):
    assert queries.previous_month(now) == previous


def test_month_bounds_are_china_midnights():
    start, end = queries.month_bounds(date(2025, 12, 1))
    assert start == datetime(2025, 11, 30, 16, 0, tzinfo=UTC)
    assert end == datetime(2025, 12, 31, 16, 0, tzinfo=UTC)
