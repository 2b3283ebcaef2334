"""Merchant console: tax templates with preview, tax products, the limit policy."""

from decimal import Decimal as D

from sqlalchemy import select

from storefront.extensions import db
from storefront.models import Product, TaxTemplate, Tenant
from storefront.tenancy import tenant_context
from tests.web.helpers import login_staff

RATES = {"tariff_rate": "5", "consumption_rate": "6", "vat_rate": "7", "postal_rate": "8"}


def test_create_a_template_and_see_it_listed(client, tenants):
    login_staff(client, tenants.a.owner)
    response = client.post("/admin/tax-templates/new", data={"name": "化妆品", **RATES})
    assert response.status_code == 302
    listing = client.get("/admin/tax-templates").get_data(as_text=True)
    assert "化妆品" in listing
    with tenant_context(tenants.a.tenant.id):
        template = db.session.scalar(select(TaxTemplate).where(TaxTemplate.name == "化妆品"))
    assert template.consumption_rate == D("6.0000")


def test_rates_out_of_range_are_form_errors(client, tenants):
    login_staff(client, tenants.a.owner)
    for field, value in (("consumption_rate", "100"), ("vat_rate", "-1"), ("tariff_rate", "x")):
        response = client.post(
            "/admin/tax-templates/new", data={"name": "Bad", **RATES, field: value}
        )
        assert response.status_code == 200
        assert 'class="error"' in response.get_data(as_text=True)
    with tenant_context(tenants.a.tenant.id):
        assert db.session.scalar(select(TaxTemplate).where(TaxTemplate.name == "Bad")) is None


def test_the_form_previews_the_tax_for_each_tag(client, tenants):
    login_staff(client, tenants.a.owner)
    preview = client.get(
        "/admin/tax-templates/preview.json?tariff_rate=5&consumption_rate=6"
        "&vat_rate=7&postal_rate=51&amount=1980"
    ).get_json()
    assert preview["cross_border_retail"]["tax_due"] == "191.68"
    assert preview["domestic_dropship"]["tax_due"] == "191.68"
    assert preview["direct_mail"]["tax_due"] == "1009.80"
    page = client.get(f"/admin/tax-templates/{tenants.a.template.id}/edit").get_data(as_text=True)
    assert "77.45" not in page and 'data-tag="direct_mail"' in page


def test_a_bad_preview_is_a_json_error(client, tenants):
    login_staff(client, tenants.a.owner)
    response = client.get("/admin/tax-templates/preview.json?consumption_rate=100")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_rates"


def test_a_template_in_use_cannot_be_deleted_and_the_products_are_named(client, tenants):
    login_staff(client, tenants.a.owner)
    page = client.post(
        f"/admin/tax-templates/{tenants.a.template.id}/delete", follow_redirects=True
    ).get_data(as_text=True)
    assert "无法删除" in page and tenants.a.product.name in page


def test_an_unused_template_is_deleted(client, tenants):
    login_staff(client, tenants.a.owner)
    client.post("/admin/tax-templates/new", data={"name": "Unused", **RATES})
    with tenant_context(tenants.a.tenant.id):
        template_id = db.session.scalar(select(TaxTemplate.id).where(TaxTemplate.name == "Unused"))
    client.post(f"/admin/tax-templates/{template_id}/delete")
    with tenant_context(tenants.a.tenant.id):
        assert db.session.scalar(select(TaxTemplate).where(TaxTemplate.id == template_id)) is None


def test_mark_a_product_as_tax_product_and_filter_by_tag(client, tenants):
    a = tenants.a
    login_staff(client, a.owner)
    response = client.post(
        f"/admin/products/{a.non_tax_product.id}/edit",
        data={
            "sku": a.non_tax_product.sku,
            "name": "直邮手表",
            "description": "",
            "price": "1100",
            "stock": "5",
            "supplier_id": a.supplier.id,
            "active": "y",
            "is_tax_product": "y",
            "tax_template_id": a.template.id,
            "tax_tag": "direct_mail",
        },
    )
    assert response.status_code == 302
    filtered = client.get("/admin/products?tag=direct_mail").get_data(as_text=True)
    assert "直邮手表" in filtered and a.product.name not in filtered
    assert "海外直邮" in filtered  # the badge
    plain = client.get("/admin/products?tag=none").get_data(as_text=True)
    assert "直邮手表" not in plain


def test_a_tax_product_needs_a_template(client, tenants):
    a = tenants.a
    login_staff(client, a.owner)
    response = client.post(
        "/admin/products/new",
        data={
            "sku": "NEW-1",
            "name": "New",
            "price": "10",
            "stock": "1",
            "supplier_id": a.supplier.id,
            "is_tax_product": "y",
            "tax_template_id": "0",
            "tax_tag": "direct_mail",
        },
    )
    assert response.status_code == 200
    assert "税收产品必须选择税收模板" in response.get_data(as_text=True)
    with tenant_context(a.tenant.id):
        assert db.session.scalar(select(Product).where(Product.sku == "NEW-1")) is None


def test_another_tenants_template_cannot_be_attached(client, tenants):
    a = tenants.a
    login_staff(client, a.owner)
    response = client.post(
        "/admin/products/new",
        data={
            "sku": "NEW-2",
            "name": "New",
            "price": "10",
            "stock": "1",
            "supplier_id": a.supplier.id,
            "is_tax_product": "y",
            "tax_template_id": tenants.b.template.id,
            "tax_tag": "direct_mail",
        },
    )
    assert response.status_code == 200  # not a valid choice
    with tenant_context(a.tenant.id):
        assert db.session.scalar(select(Product).where(Product.sku == "NEW-2")) is None


def test_the_store_picks_its_limit_policy(client, tenants):
    login_staff(client, tenants.a.owner)
    page = client.get("/admin/settings").get_data(as_text=True)
    assert "cn-2019" in page and "2019-01-01" in page
    client.post(
        "/admin/settings",
        data={
            "name": "A store",
            "default_locale": "zh_CN",
            "limit_policy_code": "cn-2019",
            "commission_rate": "5",
        },
    )
    tenant = db.session.scalar(select(Tenant).where(Tenant.id == tenants.a.tenant.id))
    assert tenant.limit_policy_code == "cn-2019"
