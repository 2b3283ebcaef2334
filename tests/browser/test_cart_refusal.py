"""The cart explains refusals on a phone: the limit broken, and what cannot be mixed."""

import pytest

from tests.browser.conftest import save_step

pytestmark = pytest.mark.browser


def test_cart_refuses_an_order_over_the_limit_and_a_mixed_cart(phone, live_server, stores):
    a = stores.a
    phone.goto(f"{live_server}/s/{a.tenant.slug}/products/{a.product.id}")
    assert "单件预估税费：¥77.45" in phone.locator(".tax-estimate").inner_text()
    phone.fill(".add-to-cart input[name=quantity]", "3")
    phone.click(".add-to-cart button[type=submit]")
    phone.wait_for_url(f"{live_server}/s/{a.tenant.slug}/cart**")
    refusal = phone.locator(".limit-violation")
    assert refusal.get_attribute("data-code") == "order_limit"
    text = refusal.inner_text()
    assert "单笔限额" in text and "¥2000.00" in text and "¥2400.00" in text
    assert phone.locator(".sticky-action button[disabled]").is_visible()
    save_step(phone, "cart-order-limit-refusal")

    phone.goto(f"{live_server}/s/{a.tenant.slug}/products/{a.non_tax_product.id}")
    phone.click(".add-to-cart button[type=submit]")
    phone.wait_for_url(f"{live_server}/s/{a.tenant.slug}/cart**")
    mix = phone.locator(".mix-problem")
    assert "税收产品与非税收产品不能同时下单" in mix.inner_text()
    assert a.non_tax_product.name in mix.inner_text()
    save_step(phone, "cart-mixing-refusal")
    mix.locator("button").click()  # remove the line named in the refusal
    phone.wait_for_load_state()
    assert phone.locator(".mix-problem").count() == 0
