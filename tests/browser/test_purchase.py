"""End to end on a phone: a card purchase, the merchant ships, the shopper receives and
reviews. Screenshots of each step are kept in test-artifacts/."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from plugins.stripe_payments.localserver import register_webhook
from storefront.extensions import db
from storefront.models import Payment
from storefront.ports import Port
from storefront.services.integrations import save_plugin_settings
from storefront.services.upkeep import customs_upkeep
from storefront.tenancy import system_context, tenant_context
from tests.browser.conftest import PHONE, save_step
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


def type_card(page, number: str) -> None:
    """Type the card into Stripe's element (the local server's stand-in for Stripe.js)."""
    element = page.locator("#card-element")
    element.locator("input[placeholder=number]").fill(number)
    element.locator("input[placeholder=exp_month]").fill("12")
    element.locator("input[placeholder=exp_year]").fill("30")
    element.locator("input[placeholder=cvc]").fill("123")


def wait_for_status(page, text: str) -> None:
    status = page.locator(".order-status")
    for _ in range(40):  # the signed webhook arrives about a second later
        if text in status.inner_text():
            break
        page.wait_for_timeout(250)
        page.reload()
    assert text in status.inner_text()


def place_order(page, live_server, store) -> str:
    """Sign in, put the product in the cart, confirm the order; return the shop's base URL."""
    shop = f"{live_server}/s/{store.tenant.slug}"
    sign_in_shopper(page, live_server, store)
    page.goto(f"{shop}/products/{store.product.id}")
    page.click(".add-to-cart button[type=submit]")
    page.click(".sticky-action a.btn-primary")
    page.click("#checkout-form button[type=submit]")
    page.wait_for_url(f"{shop}/pay/**")
    return shop


def run_cron(live_app) -> None:
    """What `flask orders sweep` does for customs every minute: receipts in, steps on."""
    with live_app.app_context():
        customs_upkeep()
        db.session.remove()


def sandbox_customs(live_app, store, fail: str) -> None:
    """Set how the store's sandbox customs answers ("reject": it returns every message)."""
    with live_app.app_context(), tenant_context(store.tenant.id):
        save_plugin_settings(
            Port.CUSTOMS_TRANSPORT, "sandbox_customs_transport", {"fail": fail}, "test"
        )
        db.session.commit()
        db.session.remove()


def wait_for_customs(page, text: str, live_app) -> None:
    """Reload the console's customs page until the state reads `text` (cron runs between)."""
    state = page.locator("#customs-state")
    for _ in range(20):
        if text in state.inner_text():
            break
        run_cron(live_app)
        page.reload()
    assert text in state.inner_text()


def test_card_purchase_through_customs_then_received_and_reviewed(
    phone, desktop, live_app, live_server, stores, webhooks_to_live_server
):
    a, shop = stores.a, f"{live_server}/s/{stores.a.tenant.slug}"
    sandbox_customs(live_app, a, "reject")  # customs returns the first declaration
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
    phone.click("#pay-form button[type=submit]")  # by card, the default
    type_card(phone, "4242424242424242")
    save_step(phone, "purchase-3-pay")
    phone.click("#card-pay")
    phone.wait_for_url(f"{shop}/orders/**")
    wait_for_status(phone, "待发货")
    order_url = phone.url.split("?")[0]
    for _ in range(40):  # the paid event's subscriber opens the declaration a moment later
        if phone.locator("#customs-progress").count():
            break
        phone.wait_for_timeout(250)
        phone.reload()
    assert "申报中" in phone.locator("#customs-progress").inner_text()
    save_step(phone, "purchase-4-paid-declaring")

    desktop.goto(f"{live_server}/admin/login")
    desktop.fill("input[name=email]", a.owner.email)
    desktop.fill("input[name=password]", PASSWORD)
    desktop.click("button[type=submit]")
    desktop.goto(f"{live_server}/admin/orders?status=paid")
    desktop.locator("table a").first.click()
    assert desktop.locator("#ship-form").count() == 0  # the bonded warehouse ships it
    desktop.click("#customs-link")
    wait_for_customs(desktop, "退单", live_app)
    assert desktop.locator("#customs-reason").inner_text()
    save_step(desktop, "purchase-5-customs-returned")
    phone.goto(order_url)
    assert "退单" in phone.locator("#customs-progress").inner_text()

    sandbox_customs(live_app, a, "")  # the merchant corrected what customs objected to
    desktop.click("#customs-resend")
    desktop.click("#customs-resend-confirmed")
    assert desktop.locator(".alert-success").count()
    wait_for_customs(desktop, "已放行", live_app)
    kinds = desktop.locator("#customs-documents").inner_text()
    assert "清单" in kinds and "变更" in kinds  # the corrections went as changes (appType 2)
    save_step(desktop, "purchase-6-customs-released")

    phone.goto(order_url)
    assert "已发货" in phone.locator(".order-status").inner_text()
    assert "已放行" in phone.locator("#customs-progress").inner_text()
    assert "SF" in phone.locator(".shipping").inner_text()
    assert phone.locator(".unread-count").inner_text() == "1"
    save_step(phone, "purchase-7-shipped-by-the-warehouse")
    phone.once("dialog", lambda dialog: dialog.accept())  # receipt asks first
    phone.click("#confirm-receipt")
    assert "已收货" in phone.locator(".order-status").inner_text()
    phone.locator(".review-form input[name=rating][value='5']").first.check()
    phone.locator(".review-form textarea").first.fill("质量很好，物流很快")
    phone.locator(".review-form button[type=submit]").first.click()
    assert "感谢您的评价" in phone.locator(".alert-success").inner_text()
    assert "质量很好" in phone.locator(".review.given").first.inner_text()
    save_step(phone, "purchase-8-received-and-reviewed")

    desktop.goto(order_url.replace(f"/s/{a.tenant.slug}/orders/", "/admin/orders/"))
    desktop.click("#complete-order")
    assert "已完成" in desktop.locator("h1 .status").inner_text()
    save_step(desktop, "purchase-9-merchant-completed")


@pytest.mark.parametrize("method", ["wechat_pay", "alipay"])
def test_wallet_payment_on_a_phone(phone, live_server, stores, webhooks_to_live_server, method):
    shop = place_order(phone, live_server, stores.a)
    phone.check(f"input[name=method][value={method}]")
    phone.click("#pay-form button[type=submit]")
    if method == "wechat_pay":
        qr = phone.locator("img#wechat-qr")
        assert qr.get_attribute("src").startswith("data:image/svg+xml")
        assert phone.evaluate("document.getElementById('wechat-qr').naturalWidth") > 0
        assert "weixin://" not in phone.locator("main").inner_text()
        save_step(phone, "wechat-pay-qr")
        order_url = phone.locator("a.btn", has_text="我已支付").get_attribute("href")
        phone.click("#wechat-open")
        phone.click("#approve")  # the shopper's WeChat, scanning: a local stand-in
        assert phone.locator("#paid").is_visible()
        phone.click("#back")  # the wallet page leads back to the store
        phone.wait_for_url(f"{shop}/orders/**")
        assert order_url.split("?")[0] in phone.url
    else:
        save_step(phone, "alipay-leaving-for-alipay")
        phone.click("#leave")
        phone.click("#approve")  # Alipay's page: a local stand-in returning to the shop
        phone.wait_for_url(f"{shop}/orders/**")
        # back from Alipay: the provider's answer at once, never 待付款 with a Pay button
        assert "待发货" in phone.locator(".order-status").inner_text()
        assert phone.locator(".actions a", has_text="付款").count() == 0
    wait_for_status(phone, "待发货")
    save_step(phone, f"{method}-paid")


def test_three_d_secure_and_a_declined_card_in_the_element(
    phone, live_server, stores, webhooks_to_live_server
):
    shop = place_order(phone, live_server, stores.a)
    phone.click("#pay-form button[type=submit]")
    phone.click("#card-pay")  # nothing typed: a field error in Chinese, no request to us
    errors = phone.locator("#card-errors")
    expect(errors).to_contain_text("请填写卡号")
    type_card(phone, "4000000000000341")
    phone.click("#card-pay")
    expect(errors).to_contain_text("银行卡被拒")
    phone.locator("#card-element input[placeholder=number]").fill("4000002760003184")
    phone.click("#card-pay")
    phone.click("text=Fail authentication")  # the shopper cancels 3-D Secure
    expect(errors).to_contain_text("未扣款")
    save_step(phone, "card-3ds-cancelled")
    phone.click("#card-pay")
    phone.click("text=Complete authentication")
    phone.wait_for_url(f"{shop}/orders/**")
    wait_for_status(phone, "待发货")


def test_wechat_pay_from_two_tabs_charges_once(
    browser, live_app, live_server, stores, webhooks_to_live_server
):
    context = browser.new_context(locale="zh-CN", **PHONE)
    first, second = context.new_page(), context.new_page()
    shop = place_order(first, live_server, stores.a)
    second.goto(first.url)  # the same checkout's pay page in a second tab
    for tab in (first, second):
        tab.check("input[name=method][value=wechat_pay]")
        tab.click("#pay-form button[type=submit]")
    wallets = [tab.locator("#wechat-open").get_attribute("href") for tab in (first, second)]
    assert wallets[0] == wallets[1]  # the second tab shows the same live payment
    order_url = first.locator("a.btn", has_text="我已支付").get_attribute("href")
    for tab in (first, second):
        tab.click("#wechat-open")
        if tab.locator("#approve").count():
            tab.click("#approve")
    assert second.locator("#paid").is_visible()  # already paid: nothing to approve again
    save_step(second, "wechat-second-tab-already-paid")
    first.goto(f"{live_server}{order_url}")
    wait_for_status(first, "待发货")
    assert order_url.startswith(f"/s/{stores.a.tenant.slug}/") and shop
    with live_app.app_context(), system_context():
        statuses = db.session.scalars(
            select(Payment.status).where(Payment.method == "wechat_pay")
        ).all()
        db.session.remove()
    assert statuses == ["succeeded"]
    context.close()


def test_a_wallet_order_is_refunded_end_to_end(
    phone, desktop, live_server, stores, webhooks_to_live_server
):
    shop = place_order(phone, live_server, stores.a)
    phone.check("input[name=method][value=alipay]")
    phone.click("#pay-form button[type=submit]")
    phone.click("#leave")
    phone.click("#approve")
    phone.wait_for_url(f"{shop}/orders/**")
    wait_for_status(phone, "待发货")
    order_url = phone.url.split("?")[0]

    desktop.goto(f"{live_server}/admin/login")
    desktop.fill("input[name=email]", stores.a.owner.email)
    desktop.fill("input[name=password]", PASSWORD)
    desktop.click("button[type=submit]")
    desktop.goto(f"{live_server}/admin/orders/{order_url.rsplit('/', 1)[1]}")
    assert desktop.locator("input[name=amount]").input_value() == ""  # not pre-filled
    desktop.fill("input[name=amount]", "877.45")
    desktop.click("#refund-submit")
    assert "¥877.45" in desktop.locator("#refund-confirm").inner_text()
    desktop.click("#refund-confirmed")
    assert "已退款 ¥877.45" in desktop.locator(".alert-success").inner_text()
    assert "已退款" in desktop.locator("h1 .status").inner_text()
    assert "877.45" in desktop.locator("table.timeline").inner_text()  # the refund in the log
    save_step(desktop, "wallet-refunded")
    phone.goto(order_url)
    assert "已退款" in phone.locator(".order-status").inner_text()
