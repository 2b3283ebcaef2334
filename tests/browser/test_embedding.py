"""Embedding on a phone (SPEC §10): the demo's mini-program shell on origin A embeds store A
with the merchant's snippet, a shopper buys by card inside the frame and the host page
receives the store's events; a page of an origin the store does not allow cannot frame it,
and its messages to the store are ignored."""

import threading

import pytest
from flask import Flask
from playwright.sync_api import expect
from werkzeug.serving import make_server

from storefront.demo_host import create_host_app
from storefront.extensions import db
from storefront.services.embedding import allow_origin
from storefront.tenancy import tenant_context
from tests.browser.conftest import save_step
from tests.browser.test_purchase import type_card, webhooks_to_live_server  # noqa: F401
from tests.support.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def host_page(live_app, live_server, stores):
    """The demo host app on an origin of its own, allowed by store A (not by store B)."""
    app = create_host_app(live_server, stores.a.tenant.slug)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    origin = f"http://127.0.0.1:{server.server_port}"
    with live_app.app_context(), tenant_context(stores.a.tenant.id):
        allow_origin(origin, "test")
        db.session.remove()
    yield origin
    server.shutdown()
    thread.join(5)


def store_frame(page, slug: str):
    """The frame showing the store (the host page's only frame of it)."""
    frames = [frame for frame in page.frames if f"/s/{slug}/" in frame.url]
    assert len(frames) == 1, [frame.url for frame in page.frames]
    return frames[0]


def host_events(page, kind: str):
    return page.locator(f"#host-events li[data-type='kuajing:{kind}']")


@pytest.fixture
def stranger(live_server, stores):
    """A site on an origin no store allows: a page with store A's snippet, and a page that
    opens a window (?open=URL) and can post an open-the-cart message to its first frame."""
    app = Flask(__name__)
    slug = stores.a.tenant.slug
    snippet = f'<script src="{live_server}/embed.js" data-store="{slug}"></script>'
    opener = (
        "<script>const w = window.open(new URLSearchParams(location.search).get('open'));"
        "window.send = () => w.frames[0].postMessage({type: 'kuajing:open', view: 'cart'}, '*');"
        "</script>"
    )
    app.add_url_rule("/frame", "frame", lambda: f"<p>elsewhere</p>{snippet}")
    app.add_url_rule("/opener", "opener", lambda: opener)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


def test_a_shopper_buys_inside_the_host_page_and_the_host_hears_it(
    phone,
    live_server,
    stores,
    host_page,
    webhooks_to_live_server,  # noqa: F811
):
    a, slug = stores.a, stores.a.tenant.slug
    phone.goto(host_page)
    frame = phone.frame_locator("iframe.kuajing-store")
    expect(frame.locator(".shop-bar .brand")).to_have_text(a.tenant.name)
    expect(host_events(phone, "resize").first).to_be_attached()
    height = phone.evaluate("document.querySelector('iframe.kuajing-store').style.height")
    assert height.endswith("px") and int(height[:-2]) > 200  # sized to the store's content

    frame.locator(f".shop-nav a[href='/s/{slug}/login']").click()
    frame.locator("input[name=email]").fill(a.shopper.email)
    frame.locator("input[name=password]").fill(PASSWORD)
    frame.locator("button[type=submit]").click()
    expect(frame.locator(f".shop-nav a[href='/s/{slug}/orders']")).to_be_attached()

    phone.evaluate(f"Kuajing.open({{product: {a.product.id}}})")  # the host opens a product
    frame.locator(".add-to-cart button[type=submit]").click()
    expect(host_events(phone, "cart.changed")).to_have_count(1)
    assert '"quantity":1' in host_events(phone, "cart.changed").inner_text()
    save_step(phone, "embed-1-cart-in-the-host")
    frame.locator(".sticky-action a.btn-primary").click()
    frame.locator("#checkout-form button[type=submit]").click()
    expect(host_events(phone, "order.placed")).to_have_count(1)
    frame.locator("#pay-form button[type=submit]").click()
    type_card(frame, "4242424242424242")
    frame.locator("#card-pay").click()
    paid = host_events(phone, "order.paid")
    expect(paid).to_have_count(1, timeout=30_000)  # the paid order is polled for
    assert "877.45" in paid.inner_text()
    expect(host_events(phone, "cart.changed")).to_have_count(2)  # emptied by the order
    save_step(phone, "embed-2-paid-heard-by-the-host")


def test_an_origin_the_store_does_not_allow_cannot_frame_it(phone, stranger):
    refusals = []
    phone.on("console", lambda message: refusals.append(message.text))
    phone.goto(f"{stranger}/frame")
    expect(phone.locator("iframe.kuajing-store")).to_be_attached()
    phone.wait_for_timeout(1500)
    frames = [frame for frame in phone.frames if frame != phone.main_frame]
    assert frames and all(".shop-bar" not in frame.content() for frame in frames)
    assert any("frame-ancestors" in text for text in refusals), refusals


def test_a_message_from_an_origin_not_allowed_is_ignored(phone, stores, host_page, stranger):
    """A window of another origin holding the host page (it opened it) posts to the store's
    frame: the store ignores it, and obeys the same message from the allowed host."""
    slug = stores.a.tenant.slug
    with phone.expect_popup() as popup_info:
        phone.goto(f"{stranger}/opener?open={host_page}/")
    host = popup_info.value
    expect(host.frame_locator("iframe.kuajing-store").locator(".shop-bar")).to_be_attached()
    phone.evaluate("send()")
    host.wait_for_timeout(1500)
    assert store_frame(host, slug).url.split("?")[0].endswith(f"/s/{slug}/")  # not obeyed
    host.evaluate("Kuajing.open({view: 'cart'})")  # the allowed host is obeyed
    expect(host.frame_locator("iframe.kuajing-store").locator("h1")).to_contain_text("购物车")
    assert store_frame(host, slug).url.endswith(f"/s/{slug}/cart")
