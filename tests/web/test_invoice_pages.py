"""The invoice pages: the shopper's titles, the request at checkout and from the order page,
downloads of the shopper's own files only, title change and paper once; the console's list,
filters, exports, detail, retry and reverse with their confirmations; all in Chinese."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from storefront.extensions import db
from storefront.models import Invoice, InvoiceRequest, Order
from storefront.services import invoice_requests
from storefront.tenancy import tenant_context
from tests.support.factories import shopper as new_shopper
from tests.support.invoices import BUYER_TAX_ID, domestic_order, invoices, provider, set_up
from tests.web.helpers import login_shopper, login_staff
from tests.web.test_chinese_pages import ALLOWED, english_words

COMPANY = "上海某某科技有限公司"
ZH = {"Accept-Language": "zh-CN"}
FORMATS = {"PDF", "XML", "OFD"}  # file formats, the same words in Chinese pages


def shop(store) -> str:
    return f"/s/{store.tenant.slug}"


def save_title(store, kind="enterprise", name=COMPANY, tax_id=BUYER_TAX_ID, default=True):
    with tenant_context(store.tenant.id):
        return invoice_requests.save_title(store.shopper.id, kind, name, tax_id, default)


def ask(store, order, name=COMPANY, tax_id=BUYER_TAX_ID):
    with tenant_context(store.tenant.id):
        kind = "enterprise" if tax_id else "personal"
        invoice_requests.request_invoice(order.id, store.shopper.id, kind, name, tax_id)


def request_row(store, order):
    with tenant_context(store.tenant.id):
        db.session.expire_all()
        return db.session.scalar(select(InvoiceRequest).where(InvoiceRequest.order_id == order.id))


def chinese_only(html: str, *data: str) -> set[str]:
    """English words of the page outside the store's data (longest data first: a file name
    holds the invoice number)."""
    for value in sorted(filter(None, data), key=len, reverse=True):
        html = html.replace(value, " ")
    words = english_words(html, set())
    return {word for word in words if word not in ALLOWED | FORMATS}


# --- the shopper's titles ---------------------------------------------------------------


def test_titles_page_adds_titles_refuses_a_bad_tax_id_and_changes_the_default(client, tenants):
    a = tenants.a
    login_shopper(client, a.tenant, a.shopper)
    url = f"{shop(a)}/account/invoice-titles"
    assert "我的发票抬头" in client.get(f"{shop(a)}/account", headers=ZH).get_data(as_text=True)
    client.post(url, data={"kind": "personal", "name": "张三"})
    bad = client.post(
        url, data={"kind": "enterprise", "name": COMPANY, "tax_id": "91110108551385082R"}
    )
    assert bad.status_code == 200 and "alert-error" in bad.get_data(as_text=True)
    added = client.post(url, data={"kind": "enterprise", "name": COMPANY, "tax_id": BUYER_TAX_ID})
    assert added.status_code == 302
    with tenant_context(a.tenant.id):
        rows = invoice_requests.titles(a.shopper.id)
    assert [(t.name, t.is_default) for t in rows] == [("张三", True), (COMPANY, False)]
    company = rows[1]
    assert client.post(f"{url}/{company.id}/default").status_code == 302
    with tenant_context(a.tenant.id):
        db.session.expire_all()
        assert invoice_requests.titles(a.shopper.id)[0].name == COMPANY
    page = client.get(url, headers=ZH).get_data(as_text=True)
    assert BUYER_TAX_ID in page and "默认" in page
    assert chinese_only(page, a.tenant.name, COMPANY, BUYER_TAX_ID) == set()


def test_another_shoppers_title_cannot_be_made_default(client, tenants):
    a = tenants.a
    with tenant_context(a.tenant.id):
        other = new_shopper()
        theirs = invoice_requests.save_title(other.id, "personal", "李四")
    login_shopper(client, a.tenant, a.shopper)
    response = client.post(f"{shop(a)}/account/invoice-titles/{theirs.id}/default")
    assert response.status_code == 404


# --- asking at checkout and later -------------------------------------------------------


def _checkout(client, store, product, invoice_title=""):
    slug = shop(store)
    client.post(f"{slug}/cart/items", data={"product_id": product.id, "quantity": 1})
    page = client.get(f"{slug}/checkout", headers=ZH).get_data(as_text=True)
    token = page.split('name="token" type="hidden" value="')[1].split('"')[0]
    total = page.split('name="expected_total" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        f"{slug}/checkout",
        data={
            "address_id": store.address.id,
            "identity_id": store.identity.id,
            "token": token,
            "expected_total": total,
            "invoice_title": invoice_title,
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return page


def _latest_order_id(store):
    with tenant_context(store.tenant.id):
        return db.session.scalar(
            select(Order.id).where(Order.shopper_id == store.shopper.id).order_by(Order.id.desc())
        )


def test_checkout_offers_an_invoice_for_eligible_goods_with_the_default_title(client, tenants):
    a = tenants.a
    set_up(a, trigger="completed")
    title = save_title(a)
    login_shopper(client, a.tenant, a.shopper)
    page = _checkout(client, a, a.non_tax_product, str(title.id))
    assert 'id="invoice-choice"' in page
    data = (a.tenant.name, a.non_tax_product.name, a.supplier.name, COMPANY, BUYER_TAX_ID)
    assert chinese_only(page, *data, a.address.consignee, a.address.one_line()) == set()
    assert re.search(rf'<option value="{title.id}" selected>', page)
    order_id = _latest_order_id(a)
    with tenant_context(a.tenant.id):
        asked = db.session.scalar(select(InvoiceRequest).where(InvoiceRequest.order_id == order_id))
        assert (asked.title_kind, asked.title_name, asked.title_tax_id) == (
            "enterprise",
            COMPANY,
            BUYER_TAX_ID,
        )


def test_checkout_offers_no_invoice_for_cross_border_goods_or_without_settings(client, tenants):
    a = tenants.a
    login_shopper(client, a.tenant, a.shopper)
    client.post(f"{shop(a)}/cart/items", data={"product_id": a.non_tax_product.id, "quantity": 1})
    assert 'id="invoice-choice"' not in client.get(f"{shop(a)}/checkout").get_data(as_text=True)
    set_up(a)
    client.post(f"{shop(a)}/cart/items", data={"product_id": a.non_tax_product.id, "quantity": 0})
    client.post(f"{shop(a)}/cart/items", data={"product_id": a.product.id, "quantity": 1})
    page = client.get(f"{shop(a)}/checkout").get_data(as_text=True)
    assert a.product.name in page and 'id="invoice-choice"' not in page


def test_no_invoice_is_asked_when_the_shopper_chooses_none(client, tenants):
    a = tenants.a
    set_up(a, trigger="completed")
    save_title(a)
    login_shopper(client, a.tenant, a.shopper)
    _checkout(client, a, a.non_tax_product, "")
    with tenant_context(a.tenant.id):
        assert db.session.scalar(select(func.count()).select_from(InvoiceRequest)) == 0


def test_the_order_page_asks_later_and_shows_the_issued_invoice_with_downloads(client, tenants):
    a = tenants.a
    set_up(a, trigger="paid", mode="sync")
    title = save_title(a)
    order = domestic_order(a)
    login_shopper(client, a.tenant, a.shopper)
    url = f"{shop(a)}/orders/{order.id}"
    page = client.get(url, headers=ZH).get_data(as_text=True)
    assert 'id="request-invoice-form"' in page
    response = client.post(f"{url}/invoice", data={"title_id": title.id})
    assert response.status_code == 302
    (blue,) = invoices(a, order.id)
    page = client.get(url, headers=ZH).get_data(as_text=True)
    assert "已开具" in page and blue.number in page and COMPANY in page
    pdf = client.get(f"{url}/invoices/{blue.id}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert pdf.mimetype == "application/pdf"
    xml = client.get(f"{url}/invoices/{blue.id}.xml")
    assert xml.status_code == 200 and blue.number.encode() in xml.data
    data = (a.tenant.name, order.number, blue.number, COMPANY, BUYER_TAX_ID, "景德镇茶具")
    assert chinese_only(page, *data, "折叠雨伞") == set()


def test_the_order_page_words_every_invoice_state(client, tenants):
    a = tenants.a
    set_up(a, mode="async")
    order = domestic_order(a)
    ask(a, order)
    login_shopper(client, a.tenant, a.shopper)
    url = f"{shop(a)}/orders/{order.id}"
    assert "开具中" in client.get(url, headers=ZH).get_data(as_text=True)
    with tenant_context(a.tenant.id):
        row = db.session.scalar(select(Invoice).where(Invoice.order_id == order.id))
        row.state, row.failure_code, row.failure_reason = "failed", "credit_exhausted", "x"
        db.session.commit()
    page = client.get(url, headers=ZH).get_data(as_text=True)
    assert "开具失败（商家的开票授信额度已用完）" in page


def test_a_shopper_downloads_only_files_of_their_own_orders(client, tenants):
    a, b = tenants.a, tenants.b
    for store in (a, b):
        set_up(store)
    mine, theirs = domestic_order(a), domestic_order(b)
    ask(a, mine)
    ask(b, theirs)
    with tenant_context(a.tenant.id):
        stranger = new_shopper()
        db.session.commit()
    (blue,) = invoices(a, mine.id)
    (b_blue,) = invoices(b, theirs.id)
    login_shopper(client, a.tenant, stranger)  # same store, another shopper
    assert client.get(f"{shop(a)}/orders/{mine.id}/invoices/{blue.id}.pdf").status_code == 404
    client.post(f"{shop(a)}/logout")
    login_shopper(client, a.tenant, a.shopper)
    assert client.get(f"{shop(a)}/orders/{mine.id}/invoices/{blue.id}.pdf").status_code == 200
    for path in (
        f"/orders/{mine.id}/invoices/{b_blue.id}.pdf",  # another store's invoice on my order
        f"/orders/{theirs.id}/invoices/{b_blue.id}.pdf",  # another store's order
        f"/orders/{a.order.id}/invoices/{blue.id}.xml",  # my invoice under another order
    ):
        assert client.get(f"{shop(a)}{path}").status_code == 404, path


def test_title_change_reissues_and_paper_is_asked_once(client, tenants):
    a = tenants.a
    set_up(a)
    order = domestic_order(a)
    ask(a, order, "张三", "")
    company = save_title(a)
    login_shopper(client, a.tenant, a.shopper)
    url = f"{shop(a)}/orders/{order.id}"
    client.post(f"{url}/invoice/title", data={"title_id": company.id})
    assert [(i.kind, i.state, i.buyer_name) for i in invoices(a, order.id)] == [
        ("blue", "reversed", "张三"),
        ("red", "issued", "张三"),
        ("blue", "issued", COMPANY),
    ]
    page = client.get(url, headers=ZH).get_data(as_text=True)
    assert "已红冲" in page and "红字发票" in page and 'id="ask-paper"' in page
    client.post(f"{url}/invoice/paper")
    assert request_row(a, order).paper_state == "requested"  # the merchant reviews it first
    with tenant_context(a.tenant.id):
        invoice_requests.approve_paper(order.id, "staff")
    assert request_row(a, order).medium == "paper"
    assert invoices(a, order.id)[-1].medium == "paper"
    again = client.post(f"{url}/invoice/paper", follow_redirects=True, headers=ZH)
    assert "纸质发票不能再改回电子发票" in again.get_data(as_text=True)
    assert len(invoices(a, order.id)) == 5  # nothing more was issued
    assert 'id="ask-paper"' not in again.get_data(as_text=True)


def test_order_actions_refuse_a_title_that_is_not_the_shoppers(client, tenants):
    a = tenants.a
    set_up(a)
    order = domestic_order(a)
    with tenant_context(a.tenant.id):
        other = new_shopper()
        theirs = invoice_requests.save_title(other.id, "personal", "李四")
    login_shopper(client, a.tenant, a.shopper)
    response = client.post(f"{shop(a)}/orders/{order.id}/invoice", data={"title_id": theirs.id})
    assert response.status_code == 400 and request_row(a, order) is None


def test_the_invoice_notification_names_the_order_and_the_invoice(client, tenants):
    a = tenants.a
    set_up(a)
    order = domestic_order(a)
    ask(a, order)
    (blue,) = invoices(a, order.id)
    login_shopper(client, a.tenant, a.shopper)
    page = client.get(f"{shop(a)}/notifications", headers=ZH).get_data(as_text=True)
    assert f"发票已开具：订单 {order.number}，发票号码 {blue.number}。" in page


# --- the merchant console ---------------------------------------------------------------


@pytest.fixture
def issued(tenants):
    """Store A with two invoiced orders (an enterprise's and a person's) and a failed one."""
    a = tenants.a
    set_up(a)
    first, second = domestic_order(a), domestic_order(a)
    ask(a, first)
    ask(a, second, "王五", "")
    provider(a, fail="credit")
    failing = domestic_order(a)
    ask(a, failing, "赵六", "")
    provider(a)
    return first, second, failing


def test_the_console_lists_invoices_with_filters(client, tenants, issued):
    a = tenants.a
    first, second, failing = issued
    login_staff(client, a.owner)
    page = client.get("/admin/invoices", headers=ZH).get_data(as_text=True)
    assert all(order.number in page for order in issued)
    assert 'href="/admin/invoices"' in client.get("/admin/", headers=ZH).get_data(as_text=True)
    cases = {
        "state=failed": {failing.number},
        "state=issued": {first.number, second.number},
        "kind=red": set(),
        f"number={second.number[-6:]}": {second.number},
        "title=某某科技": {first.number},
        "from=2000-01-01&to=2000-01-02": set(),
        "from=2000-01-01": {first.number, second.number, failing.number},
    }
    for query, shown in cases.items():
        page = client.get(f"/admin/invoices?{query}").get_data(as_text=True)
        assert {o.number for o in issued if o.number in page} == shown, query
    flashed = client.get("/admin/invoices?from=not-a-date", headers=ZH).get_data(as_text=True)
    assert "不是有效日期" in flashed
    zh = client.get("/admin/invoices", headers=ZH).get_data(as_text=True)
    numbers = [o.number for o in issued]
    numbers += [i.number or "" for o in issued for i in invoices(a, o.id)]
    assert chinese_only(zh, a.tenant.name, a.owner.name, COMPANY, *numbers) == set()


def test_the_console_exports_the_filtered_invoices(client, tenants, issued):
    a = tenants.a
    first, _second, _failing = issued
    login_staff(client, a.owner)
    response = client.get("/admin/invoices/export.csv?state=issued&title=某某", headers=ZH)
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    (blue,) = invoices(a, first.id)
    assert rows[0][:4] == ["订单号", "类型", "状态", "发票号码"]
    assert [row[0] for row in rows[1:]] == [first.number]
    assert rows[1][3] == blue.number and rows[1][9] == "225.00"
    xlsx = client.get("/admin/invoices/export.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet.max_row == 4  # header + three invoices
    assert client.get("/admin/invoices/export.csv?from=nope").status_code == 400


def test_the_detail_shows_lines_files_and_timeline_and_the_order_links_it(client, tenants, issued):
    a = tenants.a
    first = issued[0]
    (blue,) = invoices(a, first.id)
    login_staff(client, a.owner)
    page = client.get(f"/admin/invoices/{blue.id}", headers=ZH).get_data(as_text=True)
    assert "*日用品*景德镇茶具" in page and "225.00" in page and BUYER_TAX_ID in page
    for file in blue.files:
        assert file.name in page
        download = client.get(f"/admin/invoices/{blue.id}/files/{file.id}")
        assert download.status_code == 200 and download.data == file.content
    assert "已受理" in page or "服务商已受理" in page
    order_page = client.get(f"/admin/orders/{first.id}", headers=ZH).get_data(as_text=True)
    assert 'id="invoices-box"' in order_page and blue.number in order_page
    lines = [line["name"] for line in blue.lines]
    data = (a.tenant.name, a.owner.name, first.number, blue.number, COMPANY, BUYER_TAX_ID)
    names = [file.name for file in blue.files]  # file names are data, not UI text
    assert chinese_only(page, *data, *lines, *names, blue.drawer, blue.remark) == set()


def test_retry_asks_first_then_issues_the_failed_invoice(client, tenants, issued):
    a = tenants.a
    failing = issued[2]
    (row,) = invoices(a, failing.id)
    assert row.state == "failed"
    login_staff(client, a.owner)
    detail = client.get(f"/admin/invoices/{row.id}", headers=ZH).get_data(as_text=True)
    assert "授信额度不足" in detail and 'id="invoice-retry"' in detail
    asked = client.post(f"/admin/invoices/{row.id}/retry", headers=ZH)
    assert asked.status_code == 200 and 'id="invoice-confirm"' in asked.get_data(as_text=True)
    words = chinese_only(asked.get_data(as_text=True), a.tenant.name, a.owner.name, failing.number)
    assert words == set()
    assert invoices(a, failing.id)[0].state == "failed"  # nothing done before the confirmation
    done = client.post(f"/admin/invoices/{row.id}/retry", data={"confirmed": "y"})
    assert done.status_code == 302
    (again,) = invoices(a, failing.id)
    assert (again.state, again.serial) == ("issued", row.serial)


def test_reverse_by_hand_needs_a_reason_and_a_confirmation(client, tenants, issued):
    a = tenants.a
    first = issued[0]
    (blue,) = invoices(a, first.id)
    login_staff(client, a.owner)
    url = f"/admin/invoices/{blue.id}/reverse"
    assert client.post(url, data={"note": "  "}).status_code == 400
    asked = client.post(url, data={"note": "税号填错"}, headers=ZH)
    assert "税号填错" in asked.get_data(as_text=True) and len(invoices(a, first.id)) == 1
    done = client.post(url, data={"note": "税号填错", "confirmed": "y"})
    assert done.status_code == 302
    kinds = [(i.kind, i.state) for i in invoices(a, first.id)]
    assert kinds == [("blue", "reversed"), ("red", "issued"), ("blue", "issued")]
    red = invoices(a, first.id)[1]
    assert done.headers["Location"].endswith(f"/admin/invoices/{red.id}")
    page = client.get(f"/admin/invoices/{red.id}", headers=ZH).get_data(as_text=True)
    assert "01 开票有误" in page and red.red_form_number in page and blue.number in page
    again = client.post(url, data={"note": "x", "confirmed": "y"})
    assert again.status_code == 302 and len(invoices(a, first.id)) == 3


def test_issue_now_writes_the_missing_invoice_after_a_confirmation(client, tenants):
    a = tenants.a
    set_up(a, trigger="completed")
    order = domestic_order(a)
    ask(a, order)
    login_staff(client, a.owner)
    page = client.get(f"/admin/orders/{order.id}", headers=ZH).get_data(as_text=True)
    assert 'id="issue-invoice"' in page
    asked = client.post(f"/admin/orders/{order.id}/invoices/issue")
    assert 'id="invoice-confirm"' in asked.get_data(as_text=True)
    refused = client.post(
        f"/admin/orders/{order.id}/invoices/issue", data={"confirmed": "y"}, headers=ZH
    )
    assert refused.status_code == 302 and invoices(a, order.id) == []  # trigger not reached
    set_up(a, trigger="paid")  # the merchant changed the trigger after the order was paid
    done = client.post(f"/admin/orders/{order.id}/invoices/issue", data={"confirmed": "y"})
    (blue,) = invoices(a, order.id)
    assert blue.state == "issued" and done.headers["Location"].endswith(f"/{blue.id}")
    page = client.get(f"/admin/orders/{order.id}").get_data(as_text=True)
    assert 'id="issue-invoice"' not in page


def test_the_console_never_shows_another_stores_invoice(client, tenants):
    a, b = tenants.a, tenants.b
    set_up(b)
    theirs = domestic_order(b)
    ask(b, theirs)
    (b_blue,) = invoices(b, theirs.id)
    login_staff(client, a.owner)
    assert theirs.number not in client.get("/admin/invoices").get_data(as_text=True)
    assert theirs.number not in client.get("/admin/invoices/export.csv").get_data(as_text=True)
    for url in (
        f"/admin/invoices/{b_blue.id}",
        f"/admin/invoices/{b_blue.id}/files/{b_blue.files[0].id}",
    ):
        assert client.get(url).status_code == 404


def test_the_settings_and_products_pages_link_the_invoicing_pages(client, tenants):
    login_staff(client, tenants.a.owner)
    settings = client.get("/admin/settings").get_data(as_text=True)
    assert 'href="/admin/invoice-settings"' in settings
    products = client.get("/admin/products").get_data(as_text=True)
    assert f'href="/admin/products/{tenants.a.product.id}/invoicing"' in products
