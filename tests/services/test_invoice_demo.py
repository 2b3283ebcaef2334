"""The demo store comes with invoice settings and the sandbox provider."""

from sqlalchemy import select

from storefront.domain.invoices.taxpayer import is_valid_tax_id
from storefront.extensions import db
from storefront.integrations import registry
from storefront.models import InvoiceSettings, Tenant
from storefront.ports import Port
from storefront.services import demo
from storefront.tenancy import system_context, tenant_context


def test_the_demo_store_is_set_up_for_invoices(session):
    passwords = {name: "pw-" + name for name in ("operator", "owner", "second_owner", "shopper")}
    assert demo.load_demo(passwords) is True
    with system_context():
        demo_id = db.session.scalar(select(Tenant.id).where(Tenant.slug == demo.DEMO_SLUG))
    with tenant_context(demo_id):
        settings = db.session.scalar(select(InvoiceSettings))
        assert is_valid_tax_id(settings.tax_number) and settings.trigger == "received"
        assert settings.eligibility["non_tax"] and not settings.eligibility["direct_mail"]
        assert registry.get(Port.INVOICE, demo_id).PLUGIN_ID == "sandbox_invoice"
