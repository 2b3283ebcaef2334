"""The merchant's dashboard: figures on known data in China days, one tenant only, charts and
the numbers behind them, in Chinese."""

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D

import pytest
from lxml import etree

from storefront.extensions import db
from storefront.models import CheckoutRefusal
from storefront.queries import merchant_figures as figures
from storefront.queries.orders import OrderFilters
from storefront.tenancy import tenant_context
from tests.support import factories
from tests.web.helpers import login_staff

ZH = {"Accept-Language": "zh-CN"}
NS = {"svg": "http://www.w3.org/2000/svg"}
HOSTILE = '<img src=x onerror="alert(1)">&奶粉'
RANGE = "from=2026-11-01&to=2026-11-04"


def _order(store, product, placed_at, status="paid", paid=True):
    row = factories.order(store.shopper, product, store.address, store.identity, status=status)
    row.placed_at, row.paid_at = placed_at, placed_at if paid else None
    db.session.flush()
    return row


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture
def known(tenants):
    """Store A: two paid orders either side of 16:00 UTC on 2 November, one unpaid on the 3rd,
    refusals by rule; store B: a paid order and a refusal on the 3rd that A must never see."""
    a, b = tenants.a, tenants.b
    with tenant_context(a.tenant.id):
        named = factories.product(a.supplier, "800.00", a.template, "cross_border_retail")
        named.name = HOSTILE
        first = _order(a, named, _at("2026-11-02T15:59:59"))  # 23:59:59 in China: the 2nd
        second = _order(a, named, _at("2026-11-02T16:00:00"))  # midnight in China: the 3rd
        _order(a, a.product, _at("2026-11-03T03:00:00"), status="pending_payment", paid=False)
        factories.customs_declaration(second, state="rejected")
        for rule, at in [
            ("annual_limit", "2026-11-03T01:00:00"),
            ("annual_limit", "2026-11-02T16:30:00"),
            ("order_limit", "2026-11-02T09:00:00"),
            ("order_limit", "2026-10-20T09:00:00"),  # before the range
        ]:
            db.session.add(
                CheckoutRefusal(
                    code="limit_exceeded", rule=rule, limit=D("2000.00"), amount=D("2400.00"),
                    refused_at=_at(at),
                )
            )  # fmt: skip
        db.session.flush()
    with tenant_context(b.tenant.id):
        _order(b, b.product, _at("2026-11-03T02:00:00"))
        mixed = {"code": "mixed_cart", "rule": "tax_and_non_tax"}
        db.session.add(CheckoutRefusal(**mixed, refused_at=_at("2026-11-03T02:00:00")))
        db.session.flush()
    return {"a": a, "first": first, "second": second}


def _figures_of(store, call):
    with tenant_context(store.tenant.id):
        filters = OrderFilters(date_from=date(2026, 11, 1), date_to=date(2026, 11, 4))
        return call(filters)


def test_sales_and_orders_per_china_day_split_at_16_utc_and_count_one_store(known):
    days = _figures_of(known["a"], figures.sales_by_day)
    assert [(d.day.isoformat(), d.orders, d.sales) for d in days] == [
        ("2026-11-01", 0, D("0.00")),
        ("2026-11-02", 1, D("877.45")),
        ("2026-11-03", 2, D("877.45")),  # the unpaid order counts as an order, not a sale
        ("2026-11-04", 0, D("0.00")),
    ]


def test_states_customs_refusals_and_top_products_on_known_data(known):
    a = known["a"]
    assert _figures_of(a, figures.orders_by_status) == [("pending_payment", 1), ("paid", 2)]
    assert _figures_of(a, figures.orders_by_customs_state) == [("rejected", 1)]
    assert _figures_of(a, figures.refusals_by_rule) == [("annual_limit", 2), ("order_limit", 1)]
    (top,) = _figures_of(a, lambda f: figures.top_products(f, "amount"))
    assert (top.name, top.quantity, top.amount) == (HOSTILE, 2, D("1600.00"))


def test_the_default_range_is_the_last_thirty_china_days_and_at_most_a_year():
    today = figures.china_today(_at("2026-11-30T16:00:00"))  # already 1 December in China
    assert today == date(2026, 12, 1)
    filled = figures.dashboard_filters(OrderFilters(), today)
    assert (filled.date_from, filled.date_to) == (date(2026, 11, 2), date(2026, 12, 1))
    wide = figures.dashboard_filters(OrderFilters(date_from=date(1, 1, 1)), today)
    assert wide.date_to - wide.date_from == timedelta(days=365)


def _chart(page: str, chart_id: str):
    found = re.search(rf'<svg [^>]*id="{chart_id}".*?</svg>', page, re.S)
    assert found, chart_id
    return etree.fromstring(found.group(0).encode())


def _bars(svg) -> list[tuple[str, str]]:
    return [(g.get("data-label"), g.get("data-value")) for g in svg.iterfind(".//svg:g", NS)]


def test_the_dashboard_draws_each_series_in_chinese_with_links_to_the_numbers(client, known):
    login_staff(client, known["a"].owner)
    page = client.get(f"/admin/?{RANGE}", headers=ZH).get_data(as_text=True)
    assert "每日销售额" in page and "按限额规则统计的拒单" in page
    sales = _chart(page, "chart-sales")
    assert _bars(sales) == [
        ("11-01", "0.00"), ("11-02", "877.45"), ("11-03", "877.45"), ("11-04", "0.00")
    ]  # fmt: skip
    assert sales.find("svg:a", NS).get("href").startswith("/admin/orders?")
    assert _bars(_chart(page, "chart-status")) == [("待付款", "1"), ("待发货", "2")]
    assert _bars(_chart(page, "chart-customs")) == [("退单", "1")]
    assert _bars(_chart(page, "chart-refusals")) == [("年度限额", "2"), ("单笔限额", "1")]
    assert _bars(_chart(page, "chart-top-amount")) == [(HOSTILE, "1600.00")]
    assert "<img src=x" not in page  # the hostile product name is text everywhere
    assert f"/admin/dashboard/numbers/sales?{RANGE.replace('&', '&amp;')}" in page


def test_the_numbers_are_a_table_linked_to_the_filtered_order_list(client, known):
    login_staff(client, known["a"].owner)
    page = client.get(f"/admin/dashboard/numbers/sales?{RANGE}&tag=cross_border_retail", headers=ZH)
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    row = re.search(r"<tr><td>2026-11-03</td><td>2</td><td>¥877.45</td>.*?</tr>", body, re.S)
    assert row, body
    assert "/admin/orders?tag=cross_border_retail&amp;from=2026-11-03&amp;to=2026-11-03" in row[0]
    listing = client.get("/admin/orders?tag=cross_border_retail&from=2026-11-03&to=2026-11-03")
    assert known["second"].number in listing.get_data(as_text=True)
    assert client.get("/admin/dashboard/numbers/nothing").status_code == 404


def test_another_store_never_shows_on_the_dashboard(client, known, tenants):
    login_staff(client, tenants.b.owner)
    page = client.get(f"/admin/?{RANGE}", headers=ZH).get_data(as_text=True)
    assert HOSTILE not in page and "&lt;img" not in page
    assert _bars(_chart(page, "chart-refusals")) == [("税与非税商品同单", "1")]
    assert [v for _, v in _bars(_chart(page, "chart-orders"))] == ["0", "0", "1", "0"]


def test_a_range_at_the_first_date_there_is_draws_an_empty_dashboard(client, known):
    """?to=0001-01-05 leaves no 30 days before it: the range starts at 0001-01-01."""
    filled = figures.dashboard_filters(OrderFilters(date_to=date(1, 1, 5)), date(2026, 11, 30))
    assert (filled.date_from, filled.date_to) == (date(1, 1, 1), date(1, 1, 5))
    login_staff(client, known["a"].owner)
    for url in ("/admin/?to=0001-01-05", "/admin/dashboard/numbers/sales?to=0001-01-05"):
        assert client.get(url).status_code == 200, url
