"""Customs filings through the consoles: the merchant files, the operator reviews, the cart and
its quote refuse tax products without approved filings (seed 000 step 2, seed 001 §4)."""

import dataclasses
import io

import pytest
from sqlalchemy import select

from admin import review_views
from storefront.domain.reviews import ReviewAction
from storefront.extensions import db
from storefront.models import CustomsFiling, ProductFiling
from storefront.services import reviews
from storefront.services.customs_filings import ENTERPRISE_KIND, PRODUCT_KIND
from storefront.services.uploads import store_upload
from storefront.tenancy import tenant_context
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
OP = "reviewer@platform.example"
PDF = b"%PDF-1.4\n%%EOF\n"


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


def test_a_saved_filing_waits_for_review_and_the_merchant_sees_the_reason_and_history(
    client, tenants
):
    a = tenants.a
    login_staff(client, a.owner)
    response = client.post("/admin/filings", data=ENTERPRISE, headers=CHINESE)
    assert response.status_code == 302
    filing = _store_filing(a.tenant.id)
    assert (filing.review_state, filing.enterprise_code) == ("submitted", "3105960ABC")
    page = client.get("/admin/filings", headers=CHINESE).get_data(as_text=True)
    assert "备案已提交平台审核" in page and "待审核" in page and "平台正在审核" in page
    refused = client.post("/admin/filings", data={**ENTERPRISE, "ems_no": "T1"}, headers=CHINESE)
    assert "平台正在审核" in refused.get_data(as_text=True)  # in the queue: not changed
    version = filing.review_version
    reviews.decide(ENTERPRISE_KIND, filing.id, ReviewAction.REJECT, "支付企业代码有误", OP, version)
    page = client.get("/admin/filings", headers=CHINESE).get_data(as_text=True)
    assert "已驳回" in page and "支付企业代码有误" in page
    history = page.split("审核记录")[1]
    assert history.count('data-action="reject"') == 1 and OP in history


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
        assert (row.review_state, row.record_no, row.postal_tax_number) == (
            "submitted",
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
    assert 'data-state="approved"' in page and 'data-state="missing"' in page
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
    assert client.get(f"/platform/reviews/{PRODUCT_KIND}").status_code == 302
    client.post("/admin/logout")
    login_operator(client, tenants.operator)
    assert client.get("/admin/filings").status_code == 302


def _queue(client, kind: str = PRODUCT_KIND, **args) -> str:
    response = client.get(f"/platform/reviews/{kind}", query_string=args, headers=CHINESE)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_operator_finds_filings_by_hs_code_and_product_name(client, tenants):
    a, b = tenants.a, tenants.b
    with tenant_context(b.tenant.id):
        device = factories.product(
            b.supplier, "1980.00", b.template, "cross_border_retail", filed=False
        )
        factories.product_filing(device, hs_code="8516800000", review_state="submitted")
    login_operator(client, tenants.operator)
    assert client.get("/platform/reviews").status_code == 302
    pending = _queue(client)
    assert device.name in pending and a.product.name not in pending  # approved: not pending
    everything = _queue(client, state="all")
    assert device.name in everything and a.product.name in everything
    by_code = _queue(client, state="all", q="851680")
    assert device.name in by_code and a.product.name not in by_code
    by_name = _queue(client, state="all", q=a.product.name)
    assert a.product.name in by_name and device.name not in by_name
    assert device.name not in _queue(client, state="all", q="%")  # a wildcard finds nothing
    stores = _queue(client, ENTERPRISE_KIND, state="all", q=b.tenant.name)
    assert b.tenant.name in stores and a.tenant.name not in stores
    assert client.get("/platform/reviews/warehouse").status_code == 404


def _submitted_filing(store) -> ProductFiling:
    with tenant_context(store.tenant.id):
        filing = db.session.scalar(
            select(ProductFiling).where(ProductFiling.product_id == store.product.id)
        )
        reviews.submit(PRODUCT_KIND, filing, store.owner.email, "staff")  # approved -> again
        return filing


def test_the_operator_decides_with_a_reason_on_the_version_seen(client, tenants):
    a = tenants.a
    filing = _submitted_filing(a)
    login_operator(client, tenants.operator)
    url = f"/platform/reviews/{PRODUCT_KIND}/{filing.id}"
    page = client.get(url, headers=CHINESE).get_data(as_text=True)
    for value in ("3304990099", filing.record_no, "116 日本", a.product.name, a.tenant.name):
        assert value in page
    assert 'name="seen_version" type="hidden" value="2"' in page
    for button in ("reject", "ask_changes"):
        refused = _post(client, url, {button: "1", "reason": " ", "seen_version": "2"})
        assert "请说明原因" in refused and _state(a, filing.id) == "submitted"
    stale = _post(client, url, {"approve": "1", "seen_version": "1"})
    assert "请重新审核" in stale and _state(a, filing.id) == "submitted"
    asked = {"ask_changes": "1", "reason": "成分与品名不符", "seen_version": "2"}
    assert client.post(url, data=asked).status_code == 302
    assert _state(a, filing.id) == "needs_changes"
    page = client.get(url, headers=CHINESE).get_data(as_text=True)
    assert "成分与品名不符" in page and tenants.operator.email in page
    assert 'name="approve"' not in page  # nothing to decide until resubmitted
    late = _post(client, url, {"approve": "1", "seen_version": "2"})
    assert "不符" in late and _state(a, filing.id) == "needs_changes"


def _state(store, filing_id: int) -> str:
    with tenant_context(store.tenant.id):
        return db.session.scalar(
            select(ProductFiling.review_state).where(ProductFiling.id == filing_id)
        )


def test_the_operator_reviews_an_enterprise_filing(client, tenants):
    b = tenants.b
    filing = _store_filing(b.tenant.id)
    with tenant_context(b.tenant.id):
        reviews.submit(ENTERPRISE_KIND, filing, b.owner.email, "staff")
    login_operator(client, tenants.operator)
    url = f"/platform/reviews/{ENTERPRISE_KIND}/{filing.id}"
    page = client.get(url, headers=CHINESE).get_data(as_text=True)
    for value in (filing.enterprise_code, filing.area_name, filing.ems_no, b.tenant.name):
        assert value in page
    data = {"reject": "1", "reason": "账册编号有误", "seen_version": filing.review_version}
    assert client.post(url, data=data).status_code == 302
    assert _store_filing(b.tenant.id).review_state == "rejected"


@pytest.fixture
def with_documents(monkeypatch):
    """Product filings shown with one document (the kinds that have documents come later)."""
    documents = {}
    view = review_views.QUEUE_VIEWS[PRODUCT_KIND]
    changed = dataclasses.replace(view, documents=lambda row: documents.get(row.id, []))
    monkeypatch.setitem(review_views.QUEUE_VIEWS, PRODUCT_KIND, changed)
    return documents


def test_the_operator_sees_the_items_own_documents_inline_and_no_other(
    client, tenants, with_documents
):
    a, b = tenants.a, tenants.b
    filing = _submitted_filing(a)
    with tenant_context(a.tenant.id):
        licence = store_upload(io.BytesIO(PDF), "执照.pdf", "business_licence", a.owner.email)
    with tenant_context(b.tenant.id):
        other = store_upload(io.BytesIO(PDF), "b.pdf", "business_licence", b.owner.email)
    with_documents[filing.id] = [("营业执照", licence.id)]
    login_operator(client, tenants.operator)
    base = f"/platform/reviews/{PRODUCT_KIND}/{filing.id}"
    page = client.get(base, headers=CHINESE).get_data(as_text=True)
    assert f'<iframe src="{base}/files/{licence.id}"' in page and "执照.pdf" in page
    served = client.get(f"{base}/files/{licence.id}")
    assert served.status_code == 200 and served.data == PDF
    assert served.headers["Content-Security-Policy"].startswith("sandbox")
    assert client.get(f"{base}/files/{other.id}").status_code == 404  # not this item's
    client.post("/platform/logout")
    login_staff(client, a.owner)
    assert client.get(f"{base}/files/{licence.id}").status_code == 302  # operators only


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
    product_filing = _submitted_filing(a)
    filing = _store_filing(a.tenant.id)
    with tenant_context(a.tenant.id):
        reviews.submit(ENTERPRISE_KIND, filing, a.owner.email, "staff")
    reviews.decide(ENTERPRISE_KIND, filing.id, ReviewAction.ASK_CHANGES, "请补充账册", OP, 2)
    data = {store.tenant.name for store in (a, b)} | {a.product.name, b.product.name, a.product.sku}
    data |= {getattr(filing, name) for name in ENTERPRISE} | {product_filing.record_no}
    data |= {tenants.operator.name, a.owner.name, a.owner.email, OP, "DXP", "REC"}  # names
    login_staff(client, a.owner)
    pages = ["/admin/filings", f"/admin/products/{a.product.id}/filing"]
    texts = [client.get(url, headers=CHINESE).get_data(as_text=True) for url in pages]
    assert "平台审核员" in texts[0] and "请补充账册" in texts[0]
    client.post("/admin/logout")
    login_operator(client, tenants.operator)
    pages = [
        f"/platform/reviews/{PRODUCT_KIND}?state=all",
        f"/platform/reviews/{ENTERPRISE_KIND}?state=all",
        f"/platform/reviews/{PRODUCT_KIND}/{product_filing.id}",
        f"/platform/reviews/{ENTERPRISE_KIND}/{filing.id}",
    ]
    texts += [client.get(url, headers=CHINESE).get_data(as_text=True) for url in pages]
    assert [english_words(text, {str(v) for v in data if v}) for text in texts] == [set()] * 6
