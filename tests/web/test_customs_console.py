"""Customs pages: the merchant's list, export and per-order page with its actions, the XML view
that never shows a full ID number, the direct-mail sheet, the dashboard and the shopper's
progress."""

import csv
import io
import subprocess
from datetime import UTC, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from admin.console.customs_words import (
    EVENT_TEXTS,
    PROBLEM_WORDS,
    STATE_EXPLANATIONS,
    open_problems,
    return_time_text,
)
from storefront.domain.customs.consistency import ProblemCode
from storefront.domain.customs.receipts import DocumentKind
from storefront.domain.customs.states import DocumentStatus, State, Step
from storefront.domain.identity import mask_prc_id
from storefront.i18n import CUSTOMS_STATE_LABELS, DOCUMENT_KIND_LABELS, DOCUMENT_STATUS_LABELS
from storefront.tenancy import tenant_context
from tests.support import factories
from tests.web.helpers import login_shopper, login_staff
from tests.web.test_chinese_pages import english_words

ZH = {"Accept-Language": "zh-CN"}
FULL_ID = factories.VALID_IDS[0]
ANNUAL_TEXT = "清单[*]中购买人[*]已用购买额度为[*]，本次购买将超过年度限额[*]"


def _second_order(store):
    return factories.order(store.shopper, store.product, store.address, store.identity)


@pytest.fixture
def rejected(session, tenants):
    """Store A's order returned by customs on its inventory list (-621018), with receipts
    stored out of returnTime order and a timeline that names problems."""
    a = tenants.a
    with tenant_context(a.tenant.id):
        declaration = factories.customs_declaration(
            a.order,
            state="rejected",
            reason_code="-621018",
            reason_text=ANNUAL_TEXT,
            waybill_number="YT2026112200001",
            pre_no="B20261122000001",
            created_at=datetime(2026, 11, 22, 2, 0, tzinfo=UTC),
        )
        order_doc = factories.customs_document(declaration, "311", "accepted")
        for kind in ("411", "511"):
            factories.customs_document(declaration, kind, "accepted")
        inventory = factories.customs_document(declaration, "621", "rejected")
        factories.customs_receipt(inventory, "-621018", "20261122103000000", "年度限额")
        factories.customs_receipt(order_doc, "120", "20261122100500000", "入库成功")
        factories.customs_receipt(order_doc, "2", "20261122100000000")
        factories.customs_event(declaration, "opened", "awaiting_waybill")
        factories.customs_event(
            declaration, "waybill", "awaiting_waybill", {"waybill": "YT2026112200001"}
        )
        problem = {"code": "paid_mismatch", "field": "acturalPaid", "detail": "877.45 ≠ 870.00"}
        problems = {"problems": [problem]}
        factories.customs_event(declaration, "problems", "awaiting_waybill", problems)
        factories.customs_event(
            declaration, "rejected", "rejected", {"code": "-621018"}, actor="customs"
        )
        return SimpleNamespace(declaration=declaration, inventory=inventory, order_doc=order_doc)


@pytest.fixture
def sent(session, tenants):
    """A second order of store A whose three documents are with customs (an earlier day)."""
    a = tenants.a
    with tenant_context(a.tenant.id):
        order = _second_order(a)
        declaration = factories.customs_declaration(
            order, state="documents_sent", created_at=datetime(2026, 10, 1, 2, 0, tzinfo=UTC)
        )
        for kind in ("311", "411", "511"):
            factories.customs_document(declaration, kind, "sent")
        return SimpleNamespace(order=order, declaration=declaration)


# Every code of the domain has its words: a new code fails here until it is worded.
@pytest.mark.parametrize(
    ("table", "codes"),
    [
        (PROBLEM_WORDS, set(ProblemCode)),
        (STATE_EXPLANATIONS, set(State)),
        (CUSTOMS_STATE_LABELS, {str(s) for s in State}),
        (DOCUMENT_STATUS_LABELS, {str(s) for s in DocumentStatus}),
        (DOCUMENT_KIND_LABELS, {str(k) for k in DocumentKind}),
        (EVENT_TEXTS, set(Step)),
    ],
)
def test_every_code_has_its_words(table, codes):
    assert set(table) == codes


@pytest.mark.parametrize(
    ("reasons", "shown"),
    [
        (["sent", "problems"], True),
        (["problems", "sent"], False),  # sent after the problems: they were corrected
        (["problems", "resend"], False),
        (["opened"], False),
    ],
)
def test_only_problems_nothing_was_sent_after_are_open(reasons, shown):
    listed = [{"code": "hs_code", "field": "gcode", "detail": "10 digits"}]
    events = [SimpleNamespace(reason=r, params={"problems": listed}) for r in reasons]
    assert open_problems(events) == (listed if shown else [])


def test_return_time_is_shown_as_china_time_text():
    assert return_time_text("20261122103000123") == "2026-11-22 10:30:00.123"
    assert return_time_text("20261122103000") == "2026-11-22 10:30:00"


def _listed(client, query: str) -> str:
    return client.get(f"/admin/customs?{query}", headers=ZH).get_data(as_text=True)


def test_the_list_filters_by_state_kind_rejection_date_and_number(client, tenants, rejected, sent):
    login_staff(client, tenants.a.owner)
    first, second = tenants.a.order.number, sent.order.number
    cases = {
        "": {first, second},
        "state=documents_sent": {second},
        "state=rejected": {first},
        "kind=621": {first},
        "kind=311": {first, second},
        "rejected=1": {first},
        "from=2026-11-01": {first},
        "to=2026-10-31": {second},
        f"number={second[-6:]}": {second},
        "state=no-such-state": {first, second},  # an unknown value filters nothing
    }
    for query, expected in cases.items():
        body = _listed(client, query)
        shown = {number for number in (first, second) if number in body}
        assert shown == expected, query
    body = _listed(client, "state=rejected")
    assert "退单" in body and "清单" in body and ANNUAL_TEXT in body
    assert tenants.b.order.number not in _listed(client, "")


def test_export_holds_the_filtered_rows_as_csv_and_xlsx(client, tenants, rejected, sent):
    login_staff(client, tenants.a.owner)
    response = client.get("/admin/customs/export.csv?rejected=1", headers=ZH)
    assert response.headers["Content-Disposition"] == "attachment; filename=customs.csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:6] == ["订单号", "海关状态", "订单", "支付单", "运单", "清单"]
    assert [row[0] for row in rows[1:]] == [tenants.a.order.number]
    assert rows[1][1:6] == ["退单", "海关已入库", "海关已入库", "海关已入库", "退单"]
    assert rows[1][6] == "YT2026112200001" and rows[1][-1] == ANNUAL_TEXT
    workbook = client.get("/admin/customs/export.xlsx", headers=ZH)
    sheet = load_workbook(io.BytesIO(workbook.data)).active
    numbers = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert numbers == {tenants.a.order.number, sent.order.number}


def test_the_customs_page_shows_receipts_in_return_time_order_in_chinese(client, tenants, rejected):
    a = tenants.a
    login_staff(client, a.owner)
    page = client.get(f"/admin/orders/{a.order.id}/customs", headers=ZH).get_data(as_text=True)
    times = ["2026-11-22 10:00:00", "2026-11-22 10:05:00", "2026-11-22 10:30:00"]
    positions = [page.index(text) for text in times]
    assert positions == sorted(positions)
    assert "电子口岸申报中" in page  # returnStatus 2 (table 3-7)
    assert "120 海关入库" in page
    assert "-621018 " + ANNUAL_TEXT in page  # error table 7-2
    assert "海关已退单" in page  # the state explained
    assert "实际支付金额不符" in page  # the open problem, worded
    assert "保税仓返回运单号 YT2026112200001" in page and "海关退单：" in page
    assert "更正后重新申报" in page and "取消并退款" in page
    assert f"/admin/orders/{a.order.id}#refund" in page
    data = {a.order.number, a.owner.name, a.tenant.name, "YT2026112200001", "B20261122000001"}
    assert english_words(page, data) == set()


def test_the_xml_view_masks_every_id_number(client, tenants, rejected):
    a = tenants.a
    login_staff(client, a.owner)
    url = f"/admin/orders/{a.order.id}/customs/documents/{rejected.order_doc.id}.xml"
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    body = response.get_data(as_text=True)
    assert FULL_ID not in body
    assert body.count(mask_prc_id(FULL_ID)) == 2  # buyerIdNumber and payerIdNumber
    assert rejected.order_doc.guid in body


def test_another_stores_document_is_not_found(client, tenants, rejected):
    a, b = tenants.a, tenants.b
    with tenant_context(b.tenant.id):
        other = factories.declared_document(b.order)
    login_staff(client, a.owner)
    url = f"/admin/orders/{a.order.id}/customs/documents/{other.id}.xml"
    assert client.get(url).status_code == 404


def test_resend_asks_first_and_refuses_what_customs_did_not_return(client, tenants, sent):
    login_staff(client, tenants.a.owner)
    url = f"/admin/orders/{sent.order.id}/customs/resend"
    ask = client.post(url, headers=ZH)
    assert ask.status_code == 200 and "确认重新申报" in ask.get_data(as_text=True)
    refused = client.post(url, data={"confirmed": "y"}, headers=ZH)
    assert refused.status_code == 409
    assert "没有可更正后重新申报的内容" in refused.get_data(as_text=True)
    assert sent.declaration.revision == 0


def _returned_inventory(store):
    """Store's order with its three documents accepted and its inventory list returned."""
    with tenant_context(store.tenant.id):
        declaration = factories.customs_declaration(
            store.order,
            state="rejected",
            reason_code="-621001",
            reason_text="商品未备案",
            waybill_number="YT2026112200001",
        )
        for kind in ("311", "411", "511"):
            factories.customs_document(declaration, kind, "accepted")
        factories.customs_document(declaration, "621", "rejected")
        return declaration


def test_resend_writes_a_correction_and_sends_it(client, session, tenants):
    a = tenants.a
    with tenant_context(a.tenant.id):
        a.payment.paid_at = datetime(2026, 11, 22, 1, 0, tzinfo=UTC)
    declaration = _returned_inventory(a)
    login_staff(client, a.owner)
    url = f"/admin/orders/{a.order.id}/customs/resend"
    response = client.post(url, data={"confirmed": "y"}, headers=ZH)
    assert response.status_code == 302
    page = client.get(response.headers["Location"], headers=ZH).get_data(as_text=True)
    assert "已生成更正后的报文。" in page and "已完成。申报当前状态：清单已申报。" in page
    with tenant_context(a.tenant.id):
        session.refresh(declaration)
        current = [(d.kind, d.status, d.app_type) for d in declaration.documents if d.current]
    assert ("621", "sent", "2") in current and declaration.revision == 1
    assert declaration.state == "inventory_sent" and declaration.reason_text == ""


def test_resend_without_a_settled_payment_says_what_is_missing(client, session, tenants):
    a = tenants.a
    declaration = _returned_inventory(a)  # the payment has no paid_at: not settled
    login_staff(client, a.owner)
    url = f"/admin/orders/{a.order.id}/customs/resend"
    response = client.post(url, data={"confirmed": "y"}, headers=ZH, follow_redirects=True)
    assert "报文无法生成" in response.get_data(as_text=True)
    with tenant_context(a.tenant.id):
        session.refresh(declaration)
    assert declaration.state == "rejected" and declaration.revision == 0


def test_retry_runs_the_next_step_and_says_where_it_stands(client, session, tenants):
    a = tenants.a
    with tenant_context(a.tenant.id):
        order = _second_order(a)
        declaration = factories.customs_declaration(order, state="awaiting_waybill")
    login_staff(client, a.owner)
    response = client.post(f"/admin/orders/{order.id}/customs/retry", headers=ZH)
    assert response.status_code == 302
    page = client.get(response.headers["Location"], headers=ZH).get_data(as_text=True)
    with tenant_context(a.tenant.id):
        session.refresh(declaration)
        assert declaration.tally_request_id  # the sandbox warehouse has the tally sheet
    assert "已完成。申报当前状态：" in page or "上一步失败" in page


def test_a_declared_order_has_no_ship_form_and_refuses_shipping(client, tenants, sent):
    login_staff(client, tenants.a.owner)
    url = f"/admin/orders/{sent.order.id}"
    page = client.get(url, headers=ZH).get_data(as_text=True)
    assert 'id="ship-form"' not in page and 'id="customs-box"' in page
    assert "三单已申报" in page
    shipped = client.post(
        f"{url}/ship",
        data={"carrier": "SF", "tracking_number": "SF1234567890123"},
        headers=ZH,
    )
    assert shipped.status_code == 400
    assert "该订单由保税仓在海关放行后自动发货。" in shipped.get_data(as_text=True)
    assert sent.order.status == "paid"


def test_an_order_without_declaration_keeps_its_ship_form(client, tenants):
    login_staff(client, tenants.a.owner)
    page = client.get(f"/admin/orders/{tenants.a.order.id}").get_data(as_text=True)
    assert 'id="ship-form"' in page and 'id="customs-box"' not in page
    assert client.get(f"/admin/orders/{tenants.a.order.id}/customs").status_code == 404


def test_the_postal_declaration_sheet_downloads_for_a_direct_mail_order(client, tenants, tmp_path):
    a = tenants.a
    with tenant_context(a.tenant.id):
        product = factories.product(a.supplier, "800.00", a.template, "direct_mail")
        order = factories.order(a.shopper, product, a.address, a.identity)
        # SPEC §2: 13% of 800.00 is 104.00, above the 50-yuan exemption
        order.postal_rate, order.tax_due, order.total = 13, Decimal("104.00"), Decimal("904.00")
    login_staff(client, a.owner)
    page = client.get(f"/admin/orders/{order.id}", headers=ZH).get_data(as_text=True)
    assert "打印个人物品申报单 (PDF)" in page
    response = client.get(f"/admin/orders/{order.id}/postal-declaration.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(response.data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert order.number in text and "104.00" in text and mask_prc_id(FULL_ID) in text
    assert "09000000" in text and "日本" in text  # the product filing's tax number, origin
    assert FULL_ID not in text
    bonded = client.get(f"/admin/orders/{a.order.id}/postal-declaration.pdf")
    assert bonded.status_code == 404


def test_the_dashboard_counts_orders_per_customs_state(client, tenants, rejected, sent):
    login_staff(client, tenants.a.owner)
    page = client.get("/admin/", headers=ZH).get_data(as_text=True)
    assert "/admin/customs?state=rejected" in page and "/admin/customs?state=documents_sent" in page
    counts = page[page.index('id="customs-counts"') :]
    assert "退单</a></dt><dd>1</dd>" in counts and "三单已申报</a></dt><dd>1</dd>" in counts


def _shop_page(client, store, order) -> str:
    login_shopper(client, store.tenant, store.shopper)
    url = f"/s/{store.tenant.slug}/orders/{order.id}"
    return client.get(url, headers=ZH).get_data(as_text=True)


def test_the_shopper_sees_declaring_in_plain_words(client, tenants, sent):
    page = _shop_page(client, tenants.a, sent.order)
    assert 'id="customs-progress"' in page
    assert '<li class="current">申报中</li>' in page and "已放行" in page


def test_the_shopper_sees_the_return_worded_as_the_annual_limit(client, tenants, rejected):
    page = _shop_page(client, tenants.a, tenants.a.order)
    assert "退单" in page and "年度限额：每人每年跨境购买金额不得超过 ¥" in page
    assert ANNUAL_TEXT not in page  # customs' placeholders are not for shoppers


def test_the_shopper_sees_customs_own_reason_otherwise(client, session, tenants, rejected):
    with tenant_context(tenants.a.tenant.id):
        rejected.declaration.reason_code, rejected.declaration.reason_text = "-621001", "商品未备案"
        session.flush()
    page = _shop_page(client, tenants.a, tenants.a.order)
    assert "退单" in page and "商品未备案" in page
