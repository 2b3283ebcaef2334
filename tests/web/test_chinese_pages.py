"""The Chinese UI shows no raw English or codes: order log reasons and actors, payment
lines, webhook delivery states, the sign-in-required flash. English shows no Chinese."""

import re
from html.parser import HTMLParser

from babel.messages.pofile import read_po

from storefront.domain.orders import Reason
from storefront.extensions import db
from storefront.models import OrderEvent, WebhookDelivery, WebhookEndpoint
from storefront.order_log import REASON_TEXTS
from storefront.tenancy import tenant_context
from tests.web.helpers import login_shopper, login_staff
from tests.web.test_translations import ROOT

# Words that are the same in Chinese pages: brands, formats, tax and carrier names.
ALLOWED = {"Kuajing", "English", "CSV", "XLSX", "VAT", "SKU", "HMAC", "SHA", "https"}
ALLOWED |= {"Signature"}  # the Kuajing-Signature header
ALLOWED |= {"Express", "Logistics", "EMS", "ZTO", "YTO", "JD", "SF"}
ALLOWED |= {"API"}  # "API 密钥": the term Chinese merchant consoles use (WeChat Pay's API密钥)
PARAMS = {
    Reason.PAYMENT: {"reference": "ch_test_1"},
    Reason.SHIPPED: {"carrier": "SF", "tracking_number": "SF1234567890123"},
    Reason.EXCHANGE_SHIPPED: {"carrier": "EMS", "tracking_number": "EA123456789CN"},
    Reason.RETURN_ACCEPTED: {"note": "尺码不合适"},
    Reason.REFUND: {"amount": "10.00"},
}
WHO = ["shopper:1", "system", "payment", "staff:1 王经理"]


class VisibleText(HTMLParser):
    """The text a reader sees: no tags, scripts, styles or attribute values."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs) -> None:
        self.hidden += tag in ("script", "style", "code")

    def handle_endtag(self, tag) -> None:
        self.hidden -= tag in ("script", "style", "code")

    def handle_data(self, data) -> None:
        if not self.hidden:
            self.parts.append(data)


def english_words(html: str, data: set[str]) -> set[str]:
    parser = VisibleText()
    parser.feed(html)
    text = " ".join(parser.parts)
    for value in data:  # the store's own data (names, e-mails, numbers) is not UI text
        text = text.replace(value, " ")
    text = re.sub(r"order\.\w+", " ", text)  # webhook event names are an API, not prose
    return {w for w in re.findall(r"[A-Za-z_]{3,}", text) if w not in ALLOWED}


def _store_data(a) -> set[str]:
    values = {a.tenant.name, a.owner.email, a.owner.name, a.shopper.email, a.shopper.name}
    values |= {a.product.name, a.product.sku, a.order.number, a.supplier.name}
    values |= {a.payment.reference, a.payment.serial_number, "ch_test_1", "http://127.0.0.1/hook"}
    return {v for v in values if v}


def _log_every_reason(a) -> None:
    with tenant_context(a.tenant.id):
        for n, reason in enumerate(Reason):
            event = OrderEvent(order_id=a.order.id, actor=WHO[n % len(WHO)], to_status="paid")
            event.reason, event.reason_params = reason, PARAMS.get(reason)
            db.session.add(event)
        endpoint = WebhookEndpoint(url="http://127.0.0.1/hook", secret="whsec_x")
        db.session.add(endpoint)
        db.session.flush()
        db.session.add(
            WebhookDelivery(
                endpoint_id=endpoint.id,
                event="paid",
                order_id=a.order.id,
                payload={"order": {"number": a.order.number}},
            )
        )
        db.session.flush()


def test_every_reason_code_has_a_text():
    assert set(REASON_TEXTS) == set(Reason)


def test_console_order_and_webhook_pages_are_all_chinese(client, tenants):
    a = tenants.a
    _log_every_reason(a)
    login_staff(client, a.owner)
    for url in (f"/admin/orders/{a.order.id}", "/admin/webhooks"):
        page = client.get(url, headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
        assert english_words(page, _store_data(a)) == set(), url


def test_shop_order_page_and_sign_in_flash_are_all_chinese(client, tenants):
    a = tenants.a
    _log_every_reason(a)
    chinese = {"Accept-Language": "zh-CN"}
    flashed = client.get(f"/s/{a.tenant.slug}/orders", headers=chinese, follow_redirects=True)
    assert "请先登录" in flashed.get_data(as_text=True)
    assert english_words(flashed.get_data(as_text=True), _store_data(a)) == set()
    login_shopper(client, a.tenant, a.shopper)
    page = client.get(f"/s/{a.tenant.slug}/orders/{a.order.id}", headers=chinese)
    assert english_words(page.get_data(as_text=True), _store_data(a)) == set()


def test_the_english_catalogue_holds_no_chinese():
    with (ROOT / "storefront/translations/en/LC_MESSAGES/messages.po").open("rb") as handle:
        chinese = [m.id for m in read_po(handle) if re.search(r"[\u4e00-\u9fff]", str(m.string))]
    assert chinese == []


def test_the_english_new_template_page_holds_no_chinese(client, tenants):
    login_staff(client, tenants.a.owner)
    page = client.get("/admin/tax-templates/new?lang=en").get_data(as_text=True)
    parser = VisibleText()
    parser.feed(page[page.index("<main") :])
    visible = " ".join(parser.parts)
    assert "70%" in visible and not re.search(r"[\u4e00-\u9fff]", visible.replace("中文", ""))
