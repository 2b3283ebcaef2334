"""Customs filings through the consoles: the merchant files, the operator reviews, the cart and
its quote refuse tax products without approved filings (seed 000 step 2, seed 001 §4)."""

import pytest
from sqlalchemy import select

from storefront.extensions import db
from storefront.models import CustomsFiling, ProductFiling
from storefront.tenancy import system_context, tenant_context
from tests.support import factories
from tests.web.helpers import login_operator, login_shopper, login_staff
from tests.web.test_chinese_pages import english_words

CHINESE = {"Accept-Language": "zh-CN"}
ENTERPRISE = {
    **factories.ENTERPRISE_FILING,
    "enterprise_code": "3105960abc ",  # typed in lower case with a stray space: accepted
    "ems_no": "T2244W000158",  # unlike the test store's filing: saving it is a change
}
PRODUCT = {
    "hs_code": "3304990099",
    "record_no": "rec-0001",
    "origin_country": "116",
    "unit": "007",
    "unit1": "035",
    "qty1_per_unit": "0.05",
    "unit2": "",
    "gross_weight": "0.2",
    "net_weight": "0.05",
    "model": "面霜;50g",
}
CODE_ERROR = "请输入 10 位海关注册编码。"


def _form_errors(page: str) -> list[str]:
    return [part.split("</small>")[0] for part in page.split('<small class="error">')[1:]]


def _post(client, url: str, data: dict) -> str:
    response = client.post(url, data=data, headers=CHINESE)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _store_filing(tenant_id: int) -> CustomsFiling | None:
    with tenant_context(tenant_id):
        return db.session.scalar(select(CustomsFiling))


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"enterprise_code": "31059"}, "enterprise_code", CODE_ERROR),
        ({"platform_code": "3105-60KJY"}, "platform_code", CODE_ERROR),
        ({"payment_code": "31222699S7X"}, "payment_code", CODE_ERROR),
        ({"logistics_code": ""}, "logistics_code", "该字段是必填字段。"),
        ({"agent_code": "31222600O!"}, "agent_code", CODE_ERROR),
        ({"customs_code": "22A9"}, "customs_code", "请输入 4 位代码。"),
        ({"port_code": "224"}, "port_code", "请输入 4 位代码。"),
        ({"area_code": "W6"}, "area_code", CODE_ERROR),
        ({"ems_no": ""}, "ems_no", "该贸易方式必须填写此项。"),
        ({"trade_mode": "9610"}, "traf_no", "该贸易方式必须填写此项。"),
    ],
)
def test_the_enterprise_form_says_which_field_is_wrong(client, tenants, changes, field, error):
    a = tenants.a
    login_staff(client, a.owner)
    page = _post(client, "/admin/filings", {**ENTERPRISE, **changes})
    section = page.split(f'name="{field}"')[1].split("</label>")[0]
    assert error in section
    assert _store_filing(a.tenant.id).enterprise_code == "3105960ABC"  # the factory's, unchanged


def test_direct_purchase_needs_its_transport_numbers(client, tenants):
    login_staff(client, tenants.a.owner)
    page = _post(client, "/admin/filings", {**ENTERPRISE, "trade_mode": "9610"})
    assert _form_errors(page) == ["该贸易方式必须填写此项。"] * 3  # traf_no, voyage_no, bill_no
    numbers = {"traf_no": "MU5106", "voyage_no": "MU5106", "bill_no": "78112345675"}
    response = client.post("/admin/filings", data={**ENTERPRISE, "trade_mode": "9610", **numbers})
    assert response.status_code == 302


def test_a_saved_filing_waits_for_review_and_the_merchant_sees_the_operators_note(client, tenants):
    a = tenants.a
    login_staff(client, a.owner)
    response = client.post("/admin/filings", data=ENTERPRISE, headers=CHINESE)
    assert response.status_code == 302
    filing = _store_filing(a.tenant.id)
    assert (filing.status, filing.enterprise_code) == ("pending", "3105960ABC")
    page = client.get("/admin/filings", headers=CHINESE).get_data(as_text=True)
    assert "备案已提交平台审核" in page and "待审核" in page
    with system_context():
        filing.status, filing.review_note = "rejected", "支付企业代码有误"
        filing.reviewed_by, filing.reviewed_at = "operator:1 平台", filing.submitted_at
        db.session.flush()
    page = client.get("/admin/filings", headers=CHINESE).get_data(as_text=True)
    assert "已驳回" in page and "支付企业代码有误" in page


def test_the_product_filing_form_checks_weights_codes_and_direct_mail(client, tenants):
    a = tenants.a
    with tenant_context(a.tenant.id):
        mail = factories.product(a.supplier, "500.00", a.template, "direct_mail", filed=False)
    login_staff(client, a.owner)
    url = f"/admin/products/{mail.id}/filing"
    bad = {**PRODUCT, "hs_code": "33049900", "gross_weight": "0.04"}
    errors = _form_errors(_post(client, url, bad))
    assert errors == [
        "请输入 10 位商品编码（HS 编码）。",
        "净重不能大于毛重。",
        "直邮商品必须填写行邮税号。",
    ]
    response = client.post(url, data={**PRODUCT, "postal_tax_number": "09000000"})
    assert response.status_code == 302
    with tenant_context(a.tenant.id):
        row = db.session.scalar(select(ProductFiling).where(ProductFiling.product_id == mail.id))
        assert (row.status, row.record_no, row.postal_tax_number) == (
            "pending",
            "REC-0001",
            "09000000",
        )


def test_the_product_list_links_each_tax_product_to_its_filing(client, tenants):
    a = tenants.a
    with tenant_context(a.tenant.id):
        unfiled = factories.product(a.supplier, "9.00", a.template, "direct_mail", filed=False)
    login_staff(client, a.owner)
    page = client.get("/admin/products", headers=CHINESE).get_data(as_text=True)
    assert f'href="/admin/products/{a.product.id}/filing"' in page
    assert f'href="/admin/products/{unfiled.id}/filing"' in page
    assert f'href="/admin/products/{a.non_tax_product.id}/filing"' not in page
    assert 'data-status="approved"' in page and 'data-status="missing"' in page
    edit = client.get(f"/admin/products/{a.product.id}/edit", headers=CHINESE)
    assert f'href="/admin/products/{a.product.id}/filing"' in edit.get_data(as_text=True)
    assert client.get(f"/admin/products/{a.non_tax_product.id}/filing").status_code == 404


def test_store_a_never_sees_or_edits_store_bs_filings(client, tenants):
    a, b = tenants.a, tenants.b
    with tenant_context(b.tenant.id):
        factories.product_filing(b.non_tax_product, hs_code="8516800000", record_no="B-SECRET")
    login_staff(client, a.owner)
    assert "B-SECRET" not in client.get("/admin/filings").get_data(as_text=True)
    url = f"/admin/products/{b.product.id}/filing"
    assert client.get(url).status_code == 404
    assert client.post(url, data={**PRODUCT, "hs_code": "1111111111"}).status_code == 404
    with tenant_context(b.tenant.id):
        filing = db.session.scalar(
            select(ProductFiling).where(ProductFiling.product_id == b.product.id)
        )
        assert filing.hs_code == "3304990099"


def test_each_console_accepts_only_its_kind_of_account(client, tenants):
    login_staff(client, tenants.a.owner)
    assert client.get("/platform/filings").status_code == 302
    client.post("/admin/logout")
    login_operator(client, tenants.operator)
    assert client.get("/admin/filings").status_code == 302


def _queue(client, **args) -> str:
    return client.get("/platform/filings", query_string=args, headers=CHINESE).get_data(
        as_text=True
    )


def test_the_operator_finds_filings_by_hs_code_and_product_name(client, tenants):
    a, b = tenants.a, tenants.b
    with tenant_context(b.tenant.id):
        device = factories.product(
            b.supplier, "1980.00", b.template, "cross_border_retail", filed=False
        )
        factories.product_filing(device, hs_code="8516800000", status="pending")
    login_operator(client, tenants.operator)
    pending = _queue(client)
    assert device.name in pending and a.product.name not in pending  # approved: not pending
    everything = _queue(client, status="all")
    assert device.name in everything and a.product.name in everything
    assert everything.index(device.name) < everything.index(a.product.name)  # pending first
    by_code = _queue(client, status="all", q="851680")
    assert device.name in by_code and a.product.name not in by_code
    by_name = _queue(client, status="all", q=a.product.name)
    assert a.product.name in by_name and device.name not in by_name
    stores = _queue(client, kind="enterprise", status="all", q=b.tenant.name)
    assert b.tenant.name in stores and a.tenant.name not in stores


def test_the_operator_rejects_only_with_a_reason_then_approves(client, tenants):
    a = tenants.a
    with tenant_context(a.tenant.id):
        filing = db.session.scalar(
            select(ProductFiling).where(ProductFiling.product_id == a.product.id)
        )
        filing_id, stamp = filing.id, filing.submitted_at.isoformat()
    login_operator(client, tenants.operator)
    url = f"/platform/filings/product/{filing_id}"
    page = client.get(url, headers=CHINESE).get_data(as_text=True)
    for value in ("3304990099", filing.record_no, "116 日本", a.product.name):
        assert value in page
    refused = _post(client, url, {"reject": "1", "note": " ", "submitted_at": stamp})
    assert "请填写驳回原因" in refused
    assert _status(a, filing_id) == "approved"
    reason = {"reject": "1", "note": "成分与品名不符", "submitted_at": stamp}
    assert client.post(url, data=reason).status_code == 302
    assert _status(a, filing_id) == "rejected"
    stale = _post(client, url, {"approve": "1", "submitted_at": "2000-01-01T00:00:00+00:00"})
    assert "请重新审核" in stale and _status(a, filing_id) == "rejected"
    assert client.post(url, data={"approve": "1", "submitted_at": stamp}).status_code == 302
    with tenant_context(a.tenant.id):
        row = db.session.scalar(select(ProductFiling).where(ProductFiling.id == filing_id))
        assert (row.status, row.reviewed_by) == (
            "approved",
            f"operator:{tenants.operator.id} Operator",
        )


def _status(store, filing_id: int) -> str:
    with tenant_context(store.tenant.id):
        return db.session.scalar(select(ProductFiling.status).where(ProductFiling.id == filing_id))


def test_the_operator_reviews_an_enterprise_filing(client, tenants):
    b = tenants.b
    filing = _store_filing(b.tenant.id)
    login_operator(client, tenants.operator)
    url = f"/platform/filings/enterprise/{filing.id}"
    page = client.get(url, headers=CHINESE).get_data(as_text=True)
    for value in (filing.enterprise_code, filing.area_name, filing.ems_no, b.tenant.name):
        assert value in page
    data = {"reject": "1", "note": "账册编号有误", "submitted_at": filing.submitted_at.isoformat()}
    assert client.post(url, data=data).status_code == 302
    assert _store_filing(b.tenant.id).status == "rejected"


def test_the_cart_and_its_quote_refuse_an_unfiled_product(client, tenants):
    a = tenants.a
    with tenant_context(a.tenant.id):
        unfiled = factories.product(
            a.supplier, "99.00", a.template, "cross_border_retail", filed=False, name="未备案面霜"
        )
    login_shopper(client, a.tenant, a.shopper)
    slug = a.tenant.slug
    client.post(f"/s/{slug}/cart/items", data={"product_id": unfiled.id, "quantity": 1})
    page = client.get(f"/s/{slug}/cart", headers=CHINESE).get_data(as_text=True)
    assert "以下商品尚未完成海关备案，暂不能跨境销售：未备案面霜" in page
    assert "disabled>" in page.split("sticky-action")[1]  # no checkout button
    quote = client.get(f"/s/{slug}/cart/quote.json").get_json()
    assert (quote["unfiled"], quote["can_check_out"]) == (["未备案面霜"], False)
    with tenant_context(a.tenant.id):
        factories.product_filing(unfiled)
    quote = client.get(f"/s/{slug}/cart/quote.json").get_json()
    assert (quote["unfiled"], quote["can_check_out"]) == ([], True)


def test_the_filing_pages_are_all_chinese(client, tenants):
    a, b = tenants.a, tenants.b
    with tenant_context(a.tenant.id):
        product_filing = db.session.scalar(
            select(ProductFiling).where(ProductFiling.product_id == a.product.id)
        )
        filing = db.session.scalar(select(CustomsFiling))
        filing.reviewed_by = f"operator:{tenants.operator.id} {tenants.operator.name}"
        filing.reviewed_at, filing.review_note = filing.submitted_at, "请补充账册"
        db.session.flush()
    data = {store.tenant.name for store in (a, b)} | {a.product.name, b.product.name, a.product.sku}
    data |= {getattr(filing, name) for name in ENTERPRISE} | {product_filing.record_no}
    data |= {tenants.operator.name, a.owner.name, "DXP"}  # DXP: the exchange platform's name
    login_staff(client, a.owner)
    pages = ["/admin/filings", f"/admin/products/{a.product.id}/filing"]
    texts = [client.get(url, headers=CHINESE).get_data(as_text=True) for url in pages]
    assert "平台审核员" in texts[0]
    client.post("/admin/logout")
    login_operator(client, tenants.operator)
    pages = [
        "/platform/filings?status=all",
        "/platform/filings?kind=enterprise&status=all",
        f"/platform/filings/product/{product_filing.id}",
        f"/platform/filings/enterprise/{filing.id}",
    ]
    texts += [client.get(url, headers=CHINESE).get_data(as_text=True) for url in pages]
    assert [english_words(text, {str(v) for v in data if v}) for text in texts] == [set()] * 6
