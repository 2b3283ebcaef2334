"""The supervised-area report in the consoles (seed 001 §12): inbound registration, generating
a month, its summary and detail, the downloads, the operator's merchant filter, Chinese pages,
and no store reaching another's reports."""

import io
import re
from datetime import UTC, date, datetime
from decimal import Decimal as D
from zoneinfo import ZoneInfo

from openpyxl import load_workbook
from sqlalchemy import select

from storefront.extensions import db
from storefront.models import AreaReport, BondedStockMovement, Product, ProductFiling, Tenant
from storefront.queries import area_reports as queries
from storefront.services import area_reports, demo, demo_area
from storefront.tenancy import system_context, tenant_context
from tests.web.helpers import login_operator, login_staff
from tests.web.test_chinese_pages import _store_data, english_words

CHINESE = {"Accept-Language": "zh-CN"}
MONTH = date(2026, 2, 1)


def _register(client, store, number="RK-100", quantity="12", on="2026-02-10", **extra):
    data = {
        "product_id": str(store.product.id),
        "quantity": quantity,
        "arrived_on": on,
        "document_number": number,
        **extra,
    }
    return client.post("/admin/bonded-inbound", data=data)


def _stock(store) -> int:
    with tenant_context(store.tenant.id):
        db.session.expire_all()
        return db.session.get(Product, store.product.id).stock


def _main(page: str) -> str:
    """The page's own content (the console's navigation is checked with the layout)."""
    return page[page.index("<main") :]


def _report(store) -> AreaReport:
    with tenant_context(store.tenant.id):
        return area_reports.generate(MONTH, "test")


def test_registering_goods_in_raises_the_stock_once(client, tenants):
    a = tenants.a
    login_staff(client, a.owner)
    before = _stock(a)
    assert _register(client, a, value="9600.00").status_code == 302
    assert _stock(a) == before + 12
    again = _register(client, a)
    assert again.status_code == 200
    assert "该进仓单已登记过此商品" in again.get_data(as_text=True)
    assert _stock(a) == before + 12
    page = client.get("/admin/bonded-inbound").get_data(as_text=True)
    assert "RK-100" in page and "¥9600.00" in page


def test_only_bonded_products_are_offered_and_accepted(client, tenants):
    a = tenants.a
    login_staff(client, a.owner)
    page = client.get("/admin/bonded-inbound").get_data(as_text=True)
    assert a.product.sku in page and a.non_tax_product.sku not in page
    response = _register(client, a, product_id=str(a.non_tax_product.id))
    assert response.status_code == 200
    with tenant_context(a.tenant.id):
        assert db.session.scalars(select(BondedStockMovement)).all() == []


def test_a_future_date_is_refused_on_its_field(client, tenants):
    login_staff(client, tenants.a.owner)
    response = _register(client, tenants.a, on="2999-01-01")
    assert "入区日期不能晚于今天" in response.get_data(as_text=True)


def test_a_year_one_date_is_refused_and_the_page_still_lists_the_goods(client, tenants):
    login_staff(client, tenants.a.owner)
    response = _register(client, tenants.a, on="0001-01-01")
    assert "入区日期不能早于2014年" in response.get_data(as_text=True)
    assert client.get("/admin/bonded-inbound").status_code == 200


def test_a_value_or_stock_too_large_to_record_is_refused_on_the_quantity(client, tenants):
    a = tenants.a
    with tenant_context(a.tenant.id):
        product = db.session.get(Product, a.product.id)
        product.price = D("2000000.00")  # a million of them: 2 × 10^12, beyond NUMERIC(14, 2)
        db.session.flush()
    login_staff(client, a.owner)
    costly = _register(client, a, quantity="1000000")
    assert "数量过大" in costly.get_data(as_text=True)
    with tenant_context(a.tenant.id):
        product = db.session.get(Product, a.product.id)
        product.stock = 2**31 - 10  # the stock column is an integer
        db.session.flush()
    full = _register(client, a, number="RK-101", quantity="10", value="1.00")
    assert "数量过大" in full.get_data(as_text=True)
    assert _stock(a) == 2**31 - 10


def test_generate_now_shows_the_month_and_downloads_both_files(client, tenants):
    a = tenants.a
    login_staff(client, a.owner)
    _register(client, a, value="9600.00")
    response = client.post("/admin/area-reports/generate", data={"month": "2026-02"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "RK-100" in page and a.product.sku in page and "¥9600.00" in page
    with tenant_context(a.tenant.id):
        report = db.session.scalar(select(AreaReport))
    assert report.month == MONTH and report.generated_by.startswith("staff:")
    xlsx = client.get(f"/admin/area-reports/{report.id}.xlsx")
    assert xlsx.headers["Content-Disposition"].endswith("area-report-2026-02.xlsx")
    summary = load_workbook(io.BytesIO(xlsx.data))["汇总 Summary"]
    rows = list(summary.iter_rows(min_row=2, values_only=True))
    assert rows[0][0] == a.product.sku and rows[0][5:7] == (12, 9600)
    assert rows[-1][0] == "合计 Total" and rows[-1][6] == 9600
    pdf = client.get(f"/admin/area-reports/{report.id}.pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    csv_text = client.get(f"/admin/area-reports/{report.id}.csv").data.decode("utf-8-sig")
    assert "RK-100" in csv_text and csv_text.splitlines()[-1].endswith(",12,9600.00,0,0.00")
    listing = client.get("/admin/area-reports").get_data(as_text=True)
    assert "2026-02" in listing


def test_a_month_not_over_cannot_be_chosen(client, tenants):
    login_staff(client, tenants.a.owner)
    # months are China's (UTC+8): its month may have begun while UTC's has not
    this_month = datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m")
    response = client.post("/admin/area-reports/generate", data={"month": this_month})
    assert response.status_code == 302 and response.headers["Location"].endswith("/area-reports")
    with tenant_context(tenants.a.tenant.id):
        assert db.session.scalars(select(AreaReport)).all() == []


def test_staff_of_one_store_cannot_reach_anothers_report(client, tenants):
    b_report = _report(tenants.b)
    login_staff(client, tenants.a.owner)
    for suffix in ("", ".csv", ".xlsx", ".pdf"):
        assert client.get(f"/admin/area-reports/{b_report.id}{suffix}").status_code == 404
    assert tenants.b.tenant.name not in client.get("/admin/area-reports").get_data(as_text=True)


def test_the_operator_sees_every_store_and_filters_by_merchant(client, tenants):
    a, b = tenants.a, tenants.b
    a_report, b_report = _report(a), _report(b)
    login_operator(client, tenants.operator)
    everything = client.get("/platform/area-reports").get_data(as_text=True)
    assert f'/platform/area-reports/{a_report.id}"' in everything
    assert f'/platform/area-reports/{b_report.id}"' in everything
    only_b = client.get(f"/platform/area-reports?tenant={b.tenant.id}").get_data(as_text=True)
    assert f'/platform/area-reports/{b_report.id}"' in only_b
    assert f'/platform/area-reports/{a_report.id}"' not in only_b
    page = client.get(f"/platform/area-reports/{b_report.id}").get_data(as_text=True)
    assert b.tenant.name in page
    assert client.get(f"/platform/area-reports/{b_report.id}.pdf").data.startswith(b"%PDF")
    xlsx = client.get(f"/platform/area-reports/{b_report.id}.xlsx")
    assert load_workbook(io.BytesIO(xlsx.data)).sheetnames[0] == "汇总 Summary"


def test_the_report_pages_are_all_chinese(client, tenants):
    a = tenants.a
    login_staff(client, a.owner)
    _register(client, a, value="100.00")
    report = _report(a)
    with tenant_context(a.tenant.id):
        record_no = db.session.scalar(select(ProductFiling.record_no))
    data = _store_data(a) | {"RK-100", record_no, "staff", "test", "PDF"}
    for url in ("/admin/area-reports", f"/admin/area-reports/{report.id}", "/admin/bonded-inbound"):
        page = _main(client.get(url, headers=CHINESE).get_data(as_text=True))
        assert english_words(page, data) == set(), url
        assert re.search(r"[\u4e00-\u9fff]", page)
    client.post("/admin/logout")
    login_operator(client, tenants.operator)
    for url in ("/platform/area-reports", f"/platform/area-reports/{report.id}"):
        page = _main(client.get(url, headers=CHINESE).get_data(as_text=True))
        assert english_words(page, data | {tenants.b.tenant.name}) == set(), url


def test_the_value_defaults_to_the_price(client, tenants):
    a = tenants.a
    login_staff(client, a.owner)
    _register(client, a, quantity="2")
    with tenant_context(a.tenant.id):
        movement = db.session.scalar(select(BondedStockMovement))
    assert movement.value == D("1600.00") and movement.at == datetime(2026, 2, 9, 16, tzinfo=UTC)


def test_the_sweep_command_generates_last_months_report_once(app, session, tenants):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["orders", "sweep"])
    assert first.exit_code == 0, first.output
    made = re.search(r"supervised-area reports: (\d+) generated", first.output)
    assert made and int(made.group(1)) >= 2 and tenants.a.tenant.slug in first.output
    again = runner.invoke(args=["orders", "sweep"])
    assert "supervised-area reports: 0 generated" in again.output
    with tenant_context(tenants.a.tenant.id):
        [report] = db.session.scalars(select(AreaReport)).all()
    assert report.generated_by == "system"


def test_the_demo_reports_last_months_inbound_goods(session):
    passwords = {name: "pw-" + name for name in ("operator", "owner", "second_owner", "shopper")}
    demo.load_demo(passwords)
    with system_context():
        store = db.session.scalar(select(Tenant).where(Tenant.slug == demo.DEMO_SLUG))
        milk = db.session.scalar(
            select(Product).where(Product.sku == "CB-100", Product.tenant_id == store.id)
        )
    assert milk.stock == 500 + 300 - 1  # one unit sold to a paid demo order
    area_reports.generate_due()
    with tenant_context(store.id):
        [report] = db.session.scalars(select(AreaReport)).all()
        view = queries.report_view(report.id, page=None)
    assert len(view.detail) == len(demo_area.INBOUND_NOTES)
    assert view.totals.in_quantity == 380 and view.totals.in_value == D("77000.00")
