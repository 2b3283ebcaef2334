"""The shopper's titles and requests: one default title, enterprise titles need a valid tax ID,
one request per order, no change while an invoice is on its way."""

import pytest

from storefront.services import invoice_requests
from storefront.services.invoice_requests import InvoiceRefusal, InvoiceRefused
from storefront.tenancy import tenant_context
from tests.support.invoices import BUYER_TAX_ID, domestic_order, set_up


def test_titles_keep_one_default_and_check_the_enterprise_tax_id(tenants):
    a = tenants.a
    with tenant_context(a.tenant.id):
        first = invoice_requests.save_title(a.shopper.id, "personal", " 张三 ")
        assert first.is_default and first.name == "张三" and first.tax_id == ""
        company = invoice_requests.save_title(
            a.shopper.id, "enterprise", "上海某某科技有限公司", BUYER_TAX_ID.lower(), default=True
        )
        listed = invoice_requests.titles(a.shopper.id)
        assert [t.id for t in listed] == [company.id, first.id]
        assert [t.is_default for t in listed] == [True, False]
        assert company.tax_id == BUYER_TAX_ID
        for kind, name, tax_id in (
            ("enterprise", "某公司", "91110108551385082R"),  # wrong check character
            ("enterprise", "某公司", ""),
            ("personal", "", ""),
            ("government", "某机关", ""),
        ):
            with pytest.raises(InvoiceRefused) as refused:
                invoice_requests.save_title(a.shopper.id, kind, name, tax_id)
            assert refused.value.code == InvoiceRefusal.BAD_TITLE
    with tenant_context(tenants.b.tenant.id):
        assert invoice_requests.titles(a.shopper.id) == []


def test_one_request_per_order_and_none_without_settings(tenants):
    a = tenants.a
    order = domestic_order(a)
    with tenant_context(a.tenant.id), pytest.raises(InvoiceRefused) as refused:
        invoice_requests.request_invoice(order.id, a.shopper.id, "personal", "张三")
    assert refused.value.code == InvoiceRefusal.NOT_OFFERED
    set_up(a, trigger="completed")
    with tenant_context(a.tenant.id):
        invoice_requests.request_invoice(order.id, a.shopper.id, "personal", "张三")
        with pytest.raises(InvoiceRefused) as again:
            invoice_requests.request_invoice(order.id, a.shopper.id, "personal", "李四")
        assert again.value.code == InvoiceRefusal.ALREADY_REQUESTED
        with pytest.raises(LookupError):  # another shopper's order
            invoice_requests.request_invoice(order.id, a.shopper.id + 999, "personal", "张三")


def test_no_title_change_or_paper_while_an_invoice_is_on_its_way(tenants):
    a = tenants.a
    set_up(a, mode="async")
    order = domestic_order(a)
    with tenant_context(a.tenant.id):
        with pytest.raises(InvoiceRefused) as missing:
            invoice_requests.ask_paper(order.id)
        assert missing.value.code == InvoiceRefusal.NOT_REQUESTED
        invoice_requests.request_invoice(order.id, a.shopper.id, "personal", "张三")
        for change in (
            lambda: invoice_requests.ask_paper(order.id),
            lambda: invoice_requests.change_title(order.id, "personal", "李四"),
        ):
            with pytest.raises(InvoiceRefused) as busy:
                change()
            assert busy.value.code == InvoiceRefusal.IN_PROGRESS
