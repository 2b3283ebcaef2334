"""End to end on a phone: a shopper saves an enterprise title, buys ordinary goods with an
invoice, downloads the issued PDF (its text and font checked with poppler); the merchant
refunds part of the order and a red invoice and a new blue one follow, on both sides."""

import re
import subprocess

import pytest

from storefront.extensions import db
from tests.browser.conftest import save_step
from tests.browser.test_purchase import (  # noqa: F401 - webhooks_to_live_server is a fixture
    sign_in_shopper,
    type_card,
    wait_for_status,
    webhooks_to_live_server,
)
from tests.support.factories import PASSWORD
from tests.support.invoices import BUYER_TAX_ID, set_up

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("webhooks_to_live_server")]
COMPANY = "上海某某科技有限公司"


def save_enterprise_title(phone, shop: str) -> None:
    """Add the enterprise title through the account's title page (the first is the default)."""
    phone.goto(f"{shop}/account")
    phone.click("#invoice-titles-link")
    phone.check("input[name=kind][value=enterprise]")
    phone.fill("input[name=name]", COMPANY)
    phone.fill("input[name=tax_id]", BUYER_TAX_ID)
    phone.click("#title-form button[type=submit]")
    assert COMPANY in phone.locator("#invoice-titles").inner_text()
    assert "默认" in phone.locator("#invoice-titles").inner_text()


def wait_for_invoices(page, selector: str, count: int) -> None:
    """Reload until `count` invoices match (issuing follows the paid or refund event)."""
    for _ in range(40):
        if page.locator(selector).count() == count:
            break
        page.wait_for_timeout(250)
        page.reload()
    assert page.locator(selector).count() == count, page.locator("#invoice").inner_text()


def pdf_text_and_fonts(path) -> tuple[str, str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True)
    return text.stdout.decode(), fonts.stdout.decode()


def test_an_enterprise_invoice_is_downloaded_and_a_partial_refund_reverses_and_reissues(
    phone, desktop, live_app, live_server, stores, tmp_path
):
    a, shop = stores.a, f"{live_server}/s/{stores.a.tenant.slug}"
    with live_app.app_context():
        set_up(a, trigger="paid", mode="sync")  # the store's settings and sandbox provider
        db.session.remove()
    sign_in_shopper(phone, live_server, a)
    save_enterprise_title(phone, shop)
    save_step(phone, "invoice-1-title")

    phone.goto(f"{shop}/products/{a.non_tax_product.id}")  # ordinary goods: eligible
    phone.click(".add-to-cart button[type=submit]")
    phone.click(".sticky-action a.btn-primary")
    phone.wait_for_url(f"{shop}/checkout**")
    chosen = phone.locator("#invoice-title option:checked").inner_text()
    assert COMPANY in chosen and BUYER_TAX_ID in chosen  # the default title, preselected
    save_step(phone, "invoice-2-checkout")
    phone.click("#checkout-form button[type=submit]")
    phone.wait_for_url(f"{shop}/pay/**")
    phone.click("#pay-form button[type=submit]")
    type_card(phone, "4242424242424242")
    phone.click("#card-pay")
    phone.wait_for_url(f"{shop}/orders/**")
    wait_for_status(phone, "待发货")
    order_url = phone.url.split("?")[0]
    wait_for_invoices(phone, ".invoice-blue[data-state=issued]", 1)
    blue = phone.locator(".invoice-blue").first
    assert "已开具" in blue.inner_text()
    number = blue.locator(".invoice-number").inner_text()
    assert re.fullmatch(r"\d{20}", number)
    save_step(phone, "invoice-3-issued")

    with phone.expect_download() as download:
        blue.locator(".invoice-pdf").click()
    pdf = tmp_path / "invoice.pdf"
    download.value.save_as(pdf)
    text, fonts = pdf_text_and_fonts(pdf)
    squeezed = re.sub(r"\s+", "", text)
    for expected in (number, COMPANY, BUYER_TAX_ID, f"*日用品*{a.non_tax_product.name}"):
        assert re.sub(r"\s+", "", expected) in squeezed, expected
    names = [line.split()[0] for line in fonts.splitlines()[2:] if line.strip()]
    assert any("NotoSansCJKSC" in name.replace("-", "") for name in names), fonts
    assert all(" yes " in line for line in fonts.splitlines()[2:]), fonts  # all embedded

    desktop.goto(f"{live_server}/admin/login")
    desktop.fill("input[name=email]", a.owner.email)
    desktop.fill("input[name=password]", PASSWORD)
    desktop.click("button[type=submit]")
    desktop.goto(order_url.replace(f"/s/{a.tenant.slug}/orders/", "/admin/orders/"))
    assert number in desktop.locator("#invoices-box").inner_text()
    desktop.fill("input[name=amount]", "10.00")
    desktop.click("#refund-submit")
    assert "¥10.00" in desktop.locator("#refund-confirm").inner_text()
    desktop.click("#refund-confirmed")
    assert "¥10.00" in desktop.locator(".alert-success").inner_text()

    phone.goto(order_url)
    wait_for_invoices(phone, ".invoice-red[data-state=issued]", 1)
    wait_for_invoices(phone, ".invoice-blue[data-state=issued]", 1)
    assert phone.locator(".invoice-blue[data-state=reversed]").count() == 1
    section = phone.locator("#invoice").inner_text()
    assert "红字发票" in section and "已红冲" in section
    save_step(phone, "invoice-4-red-and-new-blue")

    desktop.goto(f"{live_server}/admin/invoices")
    rows = desktop.locator("#invoice-list .invoice-row")
    assert rows.count() == 3
    assert desktop.locator("#invoice-list .invoice-red").count() == 1
    assert desktop.locator("#invoice-list .invoice-blue").count() == 2
    save_step(desktop, "invoice-5-merchant-list")
