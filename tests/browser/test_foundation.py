"""The storefront on a phone, a merchant sign-in, the language switch."""

import pytest

from tests.browser.conftest import save_step
from tests.support.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_storefront_home_on_a_phone(phone, live_server, stores):
    a = stores.a
    phone.goto(f"{live_server}/s/{a.tenant.slug}/")
    assert phone.title().endswith(a.tenant.name)
    cards = phone.locator(".product-card")
    assert cards.count() == 2
    assert phone.locator(".badge-cross_border_retail").first.inner_text() == "跨境零售"
    # the layout fits the phone: no horizontal scrolling
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    save_step(phone, "foundation-storefront-home")


def test_merchant_signs_in_and_sees_only_their_store(desktop, live_server, stores):
    desktop.goto(f"{live_server}/admin/")
    desktop.fill("input[name=email]", stores.a.owner.email)
    desktop.fill("input[name=password]", PASSWORD)
    desktop.click("button[type=submit]")
    desktop.wait_for_url(f"{live_server}/admin/")
    assert stores.a.tenant.name in desktop.locator(".console-bar").inner_text()
    desktop.goto(f"{live_server}/admin/products")
    body = desktop.locator("main").inner_text()
    assert stores.a.product.name in body
    assert stores.b.product.name not in body
    save_step(desktop, "foundation-merchant-products")


def test_wrong_password_shows_a_form_error(desktop, live_server, stores):
    desktop.goto(f"{live_server}/admin/login")
    desktop.fill("input[name=email]", stores.a.owner.email)
    desktop.fill("input[name=password]", "wrong password")
    desktop.click("button[type=submit]")
    assert "邮箱或密码错误" in desktop.locator(".alert-error").inner_text()


def test_language_switch(phone, live_server, stores):
    phone.goto(f"{live_server}/s/{stores.a.tenant.slug}/")
    assert phone.locator("html").get_attribute("lang") == "zh-CN"
    assert "登录" in phone.locator(".shop-nav").inner_text()
    phone.click("a[data-lang=en]")
    phone.wait_for_load_state()
    assert phone.locator("html").get_attribute("lang") == "en"
    assert "Sign in" in phone.locator(".shop-nav").inner_text()
    phone.goto(f"{live_server}/s/{stores.a.tenant.slug}/products/{stores.a.product.id}")
    assert "Add to cart" in phone.locator("main").inner_text()
