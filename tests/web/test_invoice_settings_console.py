"""The merchant's invoice settings page (owners only): every field checked at once, in Chinese,
eligibility per tag; per-product invoicing fields."""

from decimal import Decimal

from sqlalchemy import select

from storefront.extensions import db
from storefront.models import InvoiceSettings, ProductInvoicing
from storefront.tenancy import tenant_context
from tests.support import factories
from tests.support.invoices import SELLER_TAX_ID
from tests.web.helpers import login_staff

VALID = {
    "payee_name": "跨境优选商城",
    "tax_number": SELLER_TAX_ID,
    "address": "上海市浦东新区世纪大道100号",
    "phone": "021-12345678",
    "drawer": "李会计",
    "tax_rate": "9",
    "tax_code": "1030201010000000000",
    "short_name": "日用品",
    "trigger": "received",
    "mode": "async",
    "platform_code": "TM",
    "eligible-non_tax": "y",
    "eligible-direct_mail": "y",
}


def stored(store) -> InvoiceSettings | None:
    with tenant_context(store.tenant.id):
        db.session.expire_all()
        return db.session.scalar(select(InvoiceSettings))


def test_the_page_offers_the_signed_in_staff_members_name_as_drawer(client, tenants):
    login_staff(client, tenants.a.owner)
    body = client.get("/admin/invoice-settings?lang=zh_CN").get_data(as_text=True)
    assert 'value="Staff"' in body and "税收分类编码" in body and "开票人" in body


def test_settings_are_saved_with_eligibility_per_tag(client, tenants):
    a = tenants.a
    login_staff(client, a.owner)
    response = client.post("/admin/invoice-settings", data=VALID)
    assert response.status_code == 302
    row = stored(a)
    assert (row.tax_rate, row.trigger, row.mode, row.platform_code) == (
        Decimal("9.0000"),
        "received",
        "async",
        "TM",
    )
    assert row.eligibility["non_tax"] and row.eligibility["direct_mail"]
    assert not row.eligibility["cross_border_retail"]
    assert stored(tenants.b) is None


def test_every_wrong_field_is_named_at_once(client, tenants):
    login_staff(client, tenants.a.owner)
    bad = {
        **VALID,
        "payee_name": "",
        "tax_number": "91350100M000100Y44",
        "tax_rate": "113",
        "tax_code": "12345",
        "trigger": "whenever",
    }
    response = client.post("/admin/invoice-settings?lang=zh_CN", data=bad)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and stored(tenants.a) is None
    assert body.count('class="error"') == 5
    assert "统一社会信用代码" in body


def test_only_owners_reach_the_settings(client, tenants):
    with tenant_context(tenants.a.tenant.id):
        clerk = factories.staff("clerk@example.com", role="staff")
    login_staff(client, clerk)
    assert client.get("/admin/invoice-settings").status_code == 403
    product_id = tenants.a.non_tax_product.id
    assert client.get(f"/admin/products/{product_id}/invoicing").status_code == 403


def test_a_products_own_rate_code_and_short_name(client, tenants):
    a = tenants.a
    login_staff(client, a.owner)
    url = f"/admin/products/{a.non_tax_product.id}/invoicing"
    refused = client.post(url, data={"tax_rate": "abc", "tax_code": "1", "short_name": ""})
    assert refused.status_code == 200
    saved = client.post(
        url, data={"tax_rate": "6", "tax_code": "3040201000000000000", "short_name": "茶具"}
    )
    assert saved.status_code == 302
    with tenant_context(a.tenant.id):
        row = db.session.scalar(select(ProductInvoicing))
        assert (row.tax_rate, row.short_name) == (Decimal("6.0000"), "茶具")
    listing = client.get("/admin/invoice-settings/products").get_data(as_text=True)
    assert "3040201000000000000" in listing and a.product.sku in listing
    assert (
        client.get(f"/admin/products/{tenants.b.non_tax_product.id}/invoicing").status_code == 404
    )
