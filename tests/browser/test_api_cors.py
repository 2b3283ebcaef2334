"""A merchant's own front end calls the store's API from the browser (issue 14): a page on an
origin the store allows reads the catalog and fills a cart (preflighted requests included);
the same script on an origin it does not allow is stopped by Chromium's CORS check."""

import threading

import pytest
from flask import Flask
from werkzeug.serving import make_server

from storefront.extensions import db
from storefront.services.embedding import allow_origin
from storefront.tenancy import tenant_context
from tests.api.helpers import api_key

pytestmark = pytest.mark.browser

# Runs in the front end's page: the catalog (a simple GET), then a cart and a line (both
# preflighted: a JSON body, Authorization), and a merchant-keyed creation retried with one
# Idempotency-Key, whose replay mark it reads (anonymous calls are not keyed).
SHOP = """async ({api, secret}) => {
  try {
    const english = {headers: {"Accept-Language": "en"}};
    const page = await (await fetch(api + "/products", english)).json();
    const cart = await (await fetch(api + "/carts", {method: "POST"})).json();
    const line = {product_id: page.items[0].id, quantity: 1};
    const filled = await (await fetch(`${api}/carts/${cart.id}/items`, {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify(line),
    })).json();
    const keyed = {"Idempotency-Key": "front-end-cart-1", Authorization: `Bearer ${secret}`};
    await fetch(api + "/carts", {method: "POST", headers: keyed});
    const again = await fetch(api + "/carts", {method: "POST", headers: keyed});
    return {
      names: page.items.map((product) => product.name),
      lines: filled.items.length,
      replayed: again.headers.get("Idempotent-Replayed"),
    };
  } catch (error) {
    return {error: error.name};
  }
}"""


def serve_blank_site():
    """Start a site of its own origin on loopback; return its origin and its stopper."""
    app = Flask(__name__)
    app.add_url_rule("/", "home", lambda: "<!doctype html><title>front end</title><p>shop</p>")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        thread.join(5)

    return f"http://127.0.0.1:{server.server_port}", stop


@pytest.fixture
def sites(live_app, stores):
    """Two front-end sites: the first allowed by store A, the second by store B only."""
    (own, stop_own), (other, stop_other) = serve_blank_site(), serve_blank_site()
    with live_app.app_context():
        for store, origin in ((stores.a, own), (stores.b, other)):
            with tenant_context(store.tenant.id):
                allow_origin(origin, "test")
        db.session.remove()
    yield own, other
    stop_own()
    stop_other()


def test_an_allowed_front_end_reads_the_catalog_and_fills_a_cart(
    phone, live_app, live_server, stores, sites
):
    own, _other = sites
    with live_app.app_context():
        secret = api_key(stores.a.tenant, "write")
        db.session.remove()
    phone.goto(own)
    api = f"{live_server}/api/v1/stores/{stores.a.tenant.slug}"
    result = phone.evaluate(SHOP, {"api": api, "secret": secret})
    assert result.get("error") is None, result
    assert stores.a.product.name in result["names"]
    assert result["lines"] == 1
    assert result["replayed"] == "true"  # an exposed header: the script may read it


def test_a_front_end_of_another_origin_is_stopped_by_the_browser(phone, live_server, stores, sites):
    _own, other = sites  # allowed by store B, not by store A
    refusals = []
    phone.on("console", lambda message: refusals.append(message.text))
    phone.goto(other)
    api = f"{live_server}/api/v1/stores/{stores.a.tenant.slug}"
    result = phone.evaluate(SHOP, {"api": api, "secret": ""})
    assert result == {"error": "TypeError"}  # fetch() failed: the answer was not shared
    assert any("CORS policy" in text for text in refusals), refusals
