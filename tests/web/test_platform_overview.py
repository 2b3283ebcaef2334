"""The operator's one merchant list: every merchant's state and figures, sorted and searched,
with charts per merchant and the numbers behind them, and each store's own page."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from lxml import etree

from storefront.extensions import db
from storefront.models import Applicant, MerchantApplication
from storefront.queries import platform_figures
from storefront.services import reviews
from storefront.tenancy import system_context, tenant_context
from tests.support import factories
from tests.web.helpers import login_operator

ZH = {"Accept-Language": "zh-CN"}
NS = {"svg": "http://www.w3.org/2000/svg"}
NOON = datetime(2026, 11, 2, 4, 0, tzinfo=UTC)  # 12:00 in China on 2 November
RANGE = "from=2026-11-01&to=2026-11-04"


@pytest.fixture
def known(tenants):
    """A: two paid orders (and its fixture order, placed now); B: a customs exception, its
    fixture order placed now too."""
    a, b = tenants.a, tenants.b
    with tenant_context(a.tenant.id):
        for hours in (0, 20):  # 12:00 on the 2nd and 08:00 on the 3rd, China time
            row = factories.order(a.shopper, a.product, a.address, a.identity)
            row.placed_at = row.paid_at = NOON + timedelta(hours=hours)
        db.session.flush()
    with tenant_context(b.tenant.id):
        factories.customs_declaration(b.order, state="rejected")
    db.session.flush()
    return tenants


def _rows(known, **kwargs):
    rows = platform_figures.merchant_overview(date(2026, 11, 1), date(2026, 11, 4), **kwargs)
    ours = {known.a.tenant.id, known.b.tenant.id}
    return [
        (r.slug, r.orders, str(r.sales), r.exceptions, r.pending, r.suspended)
        for r in rows
        if r.tenant_id in ours
    ]


def test_every_merchant_with_orders_sales_exceptions_and_pending_reviews(known):
    a, b = known.a.tenant.slug, known.b.tenant.slug
    assert _rows(known, sort="sales", descending=True) == [
        (a, 2, "1754.90", 0, 0, False),
        (b, 0, "0.00", 1, 0, False),
    ]
    assert _rows(known, sort="exceptions", descending=True)[0][0] == b
    assert _rows(known, search=b.upper()) == [(b, 0, "0.00", 1, 0, False)]


def test_items_waiting_for_review_count_for_their_merchant(known):
    if "product_filing" not in reviews.kinds():
        pytest.skip("product filings are not on the shared review mechanism in this tree")
    with tenant_context(known.b.tenant.id):
        waiting = factories.product(
            known.b.supplier, "50.00", known.b.template, "direct_mail", filed=False
        )
        factories.product_filing(waiting, review_state="submitted")
    assert _rows(known, search=known.b.tenant.slug)[0][4] == 1
    assert platform_figures.pending_reviews_by_kind()["product_filing"] >= 1


def test_a_suspended_store_reads_as_suspended(known):
    known.b.tenant.suspended_at = NOON
    db.session.flush()
    assert _rows(known, search=known.b.tenant.slug)[0][-1] is True


def _chart(page: str, chart_id: str):
    found = re.search(rf'<svg [^>]*id="{chart_id}".*?</svg>', page, re.S)
    assert found, chart_id
    return etree.fromstring(found.group(0).encode())


def _bars(svg, names) -> dict[str, str]:
    values = {g.get("data-label"): g.get("data-value") for g in svg.iterfind(".//svg:g", NS)}
    return {name: values[name] for name in names}


def test_the_overview_page_charts_each_merchant_in_chinese(client, known):
    login_operator(client, known.operator)
    page = client.get(f"/platform/?{RANGE}&sort=sales&desc=1", headers=ZH)
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "商家" in body and "海关异常" in body
    a, b = known.a.tenant.name, known.b.tenant.name
    assert _bars(_chart(body, "chart-sales"), (a, b)) == {a: "1754.90", b: "0.00"}
    assert _bars(_chart(body, "chart-exceptions"), (a, b)) == {a: "0", b: "1"}
    assert body.index(known.a.tenant.name) < body.index(known.b.tenant.name)
    numbers = client.get(f"/platform/overview/numbers/orders?{RANGE}", headers=ZH)
    rows = numbers.get_data(as_text=True)
    assert f"<tr><td>{known.a.tenant.name}</td><td>2</td>" in rows


def test_the_overview_is_for_the_operator_only(client, known):
    assert client.get("/platform/").status_code == 302


def test_a_range_at_the_first_date_there_is_answers_the_overview(client, known):
    login_operator(client, known.operator)
    for path in ("/platform/", "/platform/overview/numbers/sales"):
        url = f"{path}?to=0001-01-05"  # no 30 days before it: the range starts at 0001-01-01
        assert client.get(url).status_code == 200, url


def _applying(name: str, slug: str, state: str = "submitted") -> MerchantApplication:
    applicant = Applicant(email=f"{slug}@apply.example")
    applicant.set_password("long enough password")
    with system_context():
        db.session.add(applicant)
        db.session.flush()
        application = MerchantApplication(
            applicant_id=applicant.id,
            company_name=f"{name}有限公司",
            store_name=name,
            store_slug=slug,
            review_state=state,
        )
        db.session.add(application)
        db.session.flush()
    return application


def test_one_list_holds_applying_opening_open_and_suspended_merchants(known):
    known.a.tenant.opened_at = None
    known.b.tenant.suspended_at = NOON
    db.session.flush()
    waiting = _applying("海淘新店", "haitao-new")
    _applying("草稿店", "draft-only", state="draft")  # not sent: not a merchant yet
    rows = platform_figures.merchant_overview(date(2026, 11, 1), date(2026, 11, 4))
    states = {row.slug: (row.state, row.application_id, row.pending) for row in rows}
    assert states[known.a.tenant.slug] == ("opening_soon", None, 0)
    assert states[known.b.tenant.slug] == ("suspended", None, 0)
    assert states["haitao-new"] == ("applying", waiting.id, 1)
    assert "draft-only" not in states
    [a] = [row for row in rows if row.tenant_id == known.a.tenant.id]
    assert (a.products, a.shoppers, a.staff) == (2, 1, 1)  # a tax and a non-tax product
    applying = platform_figures.merchant_overview(
        date(2026, 11, 1), date(2026, 11, 4), search="新店", state="applying"
    )
    assert [row.slug for row in applying] == ["haitao-new"]


def test_the_landing_page_links_each_merchant_to_its_page(client, known):
    waiting = _applying("海淘新店", "haitao-new")
    login_operator(client, known.operator)
    body = client.get(f"/platform/?{RANGE}", headers=ZH).get_data(as_text=True)
    a = known.a.tenant.id
    assert f'href="/platform/stores/{a}?from=2026-11-01&amp;to=2026-11-04"' in body
    assert f'href="/platform/reviews/application/{waiting.id}"' in body
    assert "申请中" in body and "营业中" in body and "商品" in body and "员工" in body
    only = client.get("/platform/?state=applying", headers=ZH).get_data(as_text=True)
    assert "海淘新店" in only and known.a.tenant.name not in only


def test_the_store_page_shows_its_figures_and_its_items_in_review(client, known):
    if "product_filing" not in reviews.kinds():
        pytest.skip("product filings are not on the shared review mechanism in this tree")
    with tenant_context(known.a.tenant.id):
        waiting = factories.product(
            known.a.supplier, "50.00", known.a.template, "direct_mail", filed=False
        )
        filing = factories.product_filing(waiting, review_state="submitted")
    login_operator(client, known.operator)
    page = client.get(f"/platform/stores/{known.a.tenant.id}?{RANGE}", headers=ZH)
    body = page.get_data(as_text=True)
    figures = re.search(r'<table class="table" id="store-figures">.*?</table>', body, re.S)
    assert "<th>订单</th><td>2</td>" in figures.group(0)
    assert "¥1,754.90" in figures.group(0) or "¥1754.90" in figures.group(0)
    assert f'href="/platform/reviews/product_filing/{filing.id}"' in body
    assert waiting.name in body and "营业中" in body
    other = client.get(f"/platform/stores/{known.b.tenant.id}?{RANGE}", headers=ZH)
    assert waiting.name not in other.get_data(as_text=True)
