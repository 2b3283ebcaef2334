"""The phone header keeps every link on one line at 390 px once a message badge appears,
on every signed-in page (issue 8 item 8)."""

import pytest

from storefront.extensions import db
from storefront.models import Tenant
from storefront.services.notifications import notify
from storefront.tenancy import tenant_context
from tests.browser.conftest import save_step
from tests.browser.test_purchase import sign_in_shopper

pytestmark = pytest.mark.browser

PAGES = ("/", "/cart", "/orders", "/account", "/notifications", "/checkout")
# Each link of the header is one box: an inline link that wraps has two client rects.
WRAPPED_LINKS = """() => Array.from(document.querySelectorAll('.shop-bar a, .shop-bar .brand'))
  .filter(el => el.getClientRects().length > 1
    || el.getBoundingClientRect().height > 2.2 * parseFloat(getComputedStyle(el).fontSize))
  .map(el => el.textContent.trim())"""


def _unread_message_and_long_name(live_app, store) -> None:
    with live_app.app_context(), tenant_context(store.tenant.id):
        tenant = db.session.get(Tenant, store.tenant.id)
        tenant.name = "跨境优选 Demo Store 旗舰店"
        for n in range(12):  # a two-digit badge
            notify(store.shopper.id, f"test:{n}", "shipped", {"order_id": store.order.id})
        db.session.commit()
        db.session.remove()


def test_the_header_does_not_wrap_on_a_phone(phone, live_server, live_app, stores):
    a = stores.a
    _unread_message_and_long_name(live_app, a)
    sign_in_shopper(phone, live_server, a)
    for path in PAGES:
        phone.goto(f"{live_server}/s/{a.tenant.slug}{path}")
        assert phone.locator(".unread-count").inner_text() == "12"
        assert phone.evaluate(WRAPPED_LINKS) == [], path
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390, path
    save_step(phone, "phone-header-with-badge")
