"""End to end on a phone: a card purchase, the merchant ships, the shopper receives and
reviews. Screenshots of each step are kept in test-artifacts/."""

import pytest

from plugins.stripe_payments.localserver import register_webhook
from tests.browser.conftest import save_step
from tests.conftest import WEBHOOK_SECRET
from tests.support.factories import PASSWORD
from tests.support.servers import free_port

pytestmark = pytest.mark.browser


def sign_in_shopper(page, base, store):
    page.goto(f"{base}/s/{store.tenant.slug}/login")
    page.fill("input[name=email]", store.shopper.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


@pytest.fixture
def webhooks_to_live_server(live_server, stripe_server):
    """Point the payment server's events at the live app for this test only."""
    register_webhook(stripe_server, "browser", f"{live_server}/webhooks/stripe", WEBHOOK_SECRET)
    yield
    # localstripe cannot forget an endpoint: send later events where nothing listens.
    register_webhook(stripe_server, "browser", f"http://127.0.0.1:{free_port()}/", "unused")


def test_card_purchase_ship_receive_review(
    phone, desktop, live_server, stores, webhooks_to_live_server
):
    a, shop = stores.a, f"{live_server}/s/{stores.a.tenant.slug}"
    sign_in_shopper(phone, live_server, a)
    phone.goto(f"{shop}/products/{a.product.id}")
    save_step(phone, "purchase-1-product")
    phone.click(".add-to-cart button[type=submit]")
    phone.click(".sticky-action a.btn-primary")  # check out
    phone.wait_for_url(f"{shop}/checkout**")
    assert "¥877.45" in phone.locator("#checkout-total").inner_text()
    assert "年度跨境剩余额度" in phone.locator("main").inner_text()
    save_step(phone, "purchase-2-confirm-order")
    phone.click("#checkout-form button[type=submit]")
    phone.wait_for_url(f"{shop}/pay/**")
    phone.fill("input[name=card_number]", "4242 4242 4242 4242")
    phone.fill("input[name=expiry]", "12/30")
    phone.fill("input[name=cvc]", "123")
    save_step(phone, "purchase-3-pay")
    phone.click("#pay-form button[type=submit]")
    phone.wait_for_url(f"{shop}/orders/**")
    status = phone.locator(".order-status")
    for _ in range(40):  # the signed webhook arrives about a second later
        if "待发货" in status.inner_text():
            break
        phone.wait_for_timeout(250)
        phone.reload()
    assert "待发货" in status.inner_text()
    order_url = phone.url.split("?")[0]
    save_step(phone, "purchase-4-awaiting-shipment")

    desktop.goto(f"{live_server}/admin/login")
    desktop.fill("input[name=email]", a.owner.email)
    desktop.fill("input[name=password]", PASSWORD)
    desktop.click("button[type=submit]")
    desktop.goto(f"{live_server}/admin/orders?status=paid")
    desktop.locator("table a").first.click()
    desktop.select_option("#ship-form select[name=carrier]", "SF")
    desktop.fill("#ship-form input[name=tracking_number]", "SF1234567890123")
    desktop.click("#ship-form button[type=submit]")
    assert "发货成功" in desktop.locator(".alert-success").inner_text()
    save_step(desktop, "purchase-5-merchant-shipped")

    phone.goto(order_url)
    assert "SF1234567890123" in phone.locator(".shipping").inner_text()
    assert phone.locator(".unread-count").inner_text() == "1"
    phone.once("dialog", lambda dialog: dialog.accept())  # receipt asks first
    phone.click("#confirm-receipt")
    assert "已收货" in phone.locator(".order-status").inner_text()
    phone.locator(".review-form input[name=rating][value='5']").first.check()
    phone.locator(".review-form textarea").first.fill("质量很好，物流很快")
    phone.locator(".review-form button[type=submit]").first.click()
    assert "感谢您的评价" in phone.locator(".alert-success").inner_text()
    assert "质量很好" in phone.locator(".review.given").first.inner_text()
    save_step(phone, "purchase-6-received-and-reviewed")

    desktop.reload()
    desktop.click("#complete-order")
    assert "已完成" in desktop.locator("h1 .status").inner_text()
    save_step(desktop, "purchase-7-merchant-completed")


@pytest.mark.parametrize("method", ["wechat_pay", "alipay"])
def test_wallet_payment_on_a_phone(phone, live_server, stores, webhooks_to_live_server, method):
    a, shop = stores.a, f"{live_server}/s/{stores.a.tenant.slug}"
    sign_in_shopper(phone, live_server, a)
    phone.goto(f"{shop}/products/{a.product.id}")
    phone.click(".add-to-cart button[type=submit]")
    phone.click(".sticky-action a.btn-primary")
    phone.click("#checkout-form button[type=submit]")
    phone.wait_for_url(f"{shop}/pay/**")
    phone.check(f"input[name=method][value={method}]")
    phone.click("#pay-form button[type=submit]")
    if method == "wechat_pay":
        assert "weixin://wxpay/bizpayurl" in phone.locator(".qr-data").inner_text()
        save_step(phone, "wechat-pay-qr")
        order_url = phone.locator("a.btn", has_text="我已支付").get_attribute("href")
        phone.click("#wechat-open")
        phone.click("#approve")  # the shopper's WeChat, scanning: a local stand-in
        assert phone.locator("#paid").is_visible()
        phone.goto(f"{live_server}{order_url}")
    else:
        save_step(phone, "alipay-leaving-for-alipay")
        phone.click("#leave")
        phone.click("#approve")  # Alipay's page: a local stand-in returning to the shop
        phone.wait_for_url(f"{shop}/orders/**")
    status = phone.locator(".order-status")
    for _ in range(40):
        if "待发货" in status.inner_text():
            break
        phone.wait_for_timeout(250)
        phone.reload()
    assert "待发货" in status.inner_text()
    save_step(phone, f"{method}-paid")
