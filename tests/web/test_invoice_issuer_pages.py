"""The invoice issuer's review on screen (seed 000 step 2(2), issue 13): the merchant sends it
from the settings page and sees state, reason and history; the operator finds it by name or
tax ID, sees the certificate inline and decides; held invoices are worded in Chinese."""

import io

from sqlalchemy import select

from storefront.extensions import db
from storefront.models import InvoiceSettings
from storefront.tenancy import tenant_context
from tests.support.invoices import CERTIFICATE, SETTINGS, ask, domestic_order, set_up
from tests.web.helpers import login_operator, login_shopper, login_staff

CHINESE = {"Accept-Language": "zh-CN"}
QUEUE = "/platform/reviews/invoice_issuer"


def form(store, certificate=True, **changes) -> dict:
    data = {key: value for key, value in SETTINGS.items() if key != "eligibility"}
    data.update({"eligible-non_tax": "y", "products-shown": "y"})
    data[f"product-{store.non_tax_product.id}"] = "y"
    if certificate:
        data["certificate"] = (io.BytesIO(CERTIFICATE), "税务登记证.pdf")
    return {**data, **changes}


def issuer(store) -> InvoiceSettings | None:
    with tenant_context(store.tenant.id):
        db.session.expire_all()
        return db.session.scalar(select(InvoiceSettings))


def test_the_merchant_sends_the_issuer_and_sees_its_state_and_certificate(client, tenants):
    a = tenants.a
    login_staff(client, a.owner)
    sent = client.post("/admin/invoice-settings", data=form(a), headers=CHINESE)
    assert sent.status_code == 302
    row = issuer(a)
    assert (row.review_state, row.review_version) == ("submitted", 1)
    page = client.get("/admin/invoice-settings", headers=CHINESE).get_data(as_text=True)
    assert "开票方审核" in page and "待审核" in page and "税务登记证.pdf" in page
    assert f'name="product-{a.non_tax_product.id}" value="y" checked' in page
    served = client.get("/admin/invoice-settings/certificate")
    assert served.status_code == 200 and served.data == CERTIFICATE
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    changed = form(a, payee_name="改名公司")
    again = client.post("/admin/invoice-settings", data=changed, headers=CHINESE)
    assert again.status_code == 200 and "开票方正在等待平台审核" in again.get_data(as_text=True)
    assert issuer(a).payee_name == SETTINGS["payee_name"]  # in the queue: not changed


def test_a_renamed_executable_is_not_a_certificate(client, tenants):
    a = tenants.a
    login_staff(client, a.owner)
    data = form(a, certificate=False)
    data["certificate"] = (io.BytesIO(b"MZ\x90\x00 not a document"), "税务登记证.pdf")
    page = client.post("/admin/invoice-settings", data=data, headers=CHINESE)
    assert page.status_code == 200 and "PDF、JPEG 或 PNG" in page.get_data(as_text=True)
    assert issuer(a) is None


def test_the_operator_finds_the_issuer_sees_the_certificate_and_asks_for_changes(client, tenants):
    a, b = tenants.a, tenants.b
    set_up(a, approve=False)
    set_up(b, approve=False)
    row = issuer(a)
    login_operator(client, tenants.operator)
    by_tax_id = client.get(f"{QUEUE}?q={SETTINGS['tax_number'][:8]}").get_data(as_text=True)
    assert f"{QUEUE}/{row.id}" in by_tax_id and f"{QUEUE}/{issuer(b).id}" in by_tax_id
    by_store = client.get(f"{QUEUE}?q={a.tenant.name}").get_data(as_text=True)
    assert f"{QUEUE}/{row.id}" in by_store and f"{QUEUE}/{issuer(b).id}" not in by_store
    assert f"{QUEUE}/" not in client.get(f"{QUEUE}?q=无此公司").get_data(as_text=True)
    page = client.get(f"{QUEUE}/{row.id}", headers=CHINESE).get_data(as_text=True)
    document = f"{QUEUE}/{row.id}/files/{row.certificate_file_id}"
    assert f'<iframe src="{document}"' in page and "税务登记证" in page
    assert a.non_tax_product.name in page and SETTINGS["tax_number"] in page
    assert client.get(document).data == CERTIFICATE
    other = f"{QUEUE}/{row.id}/files/{issuer(b).certificate_file_id}"
    assert client.get(other).status_code == 404  # not this issuer's document
    asked = {"ask_changes": "1", "reason": "证件已过期", "seen_version": "1"}
    assert client.post(f"{QUEUE}/{row.id}", data=asked).status_code == 302
    client.post("/platform/logout")
    login_staff(client, a.owner)
    page = client.get("/admin/invoice-settings", headers=CHINESE).get_data(as_text=True)
    assert "证件已过期" in page and "审核记录" in page and "待修改" in page


def test_a_merchant_never_reaches_another_stores_issuer_or_certificate(client, tenants):
    a, b = tenants.a, tenants.b
    set_up(b, approve=False)
    row = issuer(b)
    login_staff(client, a.owner)
    assert client.get("/admin/invoice-settings/certificate").status_code == 404
    page = client.get("/admin/invoice-settings").get_data(as_text=True)
    assert SETTINGS["payee_name"] not in page and "审核记录" not in page
    document = f"{QUEUE}/{row.id}/files/{row.certificate_file_id}"
    assert client.get(document).status_code == 302  # the operator's pages: sign-in first


def test_held_invoices_are_worded_for_the_merchant_and_the_shopper(client, tenants):
    a = tenants.a
    set_up(a, approve=False)
    order = domestic_order(a)
    ask(a, order)
    login_staff(client, a.owner)
    listing = client.get("/admin/invoices", headers=CHINESE).get_data(as_text=True)
    assert "店铺暂不能开具发票：平台尚未审核通过其开票方" in listing
    client.post("/admin/logout")
    login_shopper(client, a.tenant, a.shopper)
    page = client.get(f"/s/{a.tenant.slug}/orders/{order.id}", headers=CHINESE)
    assert "等待开具：店铺暂不能开具发票" in page.get_data(as_text=True)
