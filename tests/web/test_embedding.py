"""Embedding (SPEC §10): the console's list of allowed origins and snippet, each store's CSP
frame-ancestors, embed mode entered only for an allowed host, and the host events."""

import re
from html import unescape

import pytest
from flask import g
from sqlalchemy import select

from storefront import create_app
from storefront.extensions import db
from storefront.models import EmbedOrigin, Order
from storefront.queries.embedding import allowed_origins
from storefront.services.embedding import allow_origin, is_allowed, remove_origin
from storefront.tenancy import tenant_context
from tests.conftest import app_config
from tests.support import factories
from tests.support.embedding import A_SITE, B_SITE, allow_own_sites
from tests.web.helpers import login_shopper, login_staff


@pytest.fixture
def allowed(tenants):
    """Store A allows A_SITE and the loopback host; store B allows B_SITE."""
    return allow_own_sites(tenants, "http://127.0.0.1:5001")


def frame_ancestors(response) -> str:
    policy = response.headers["Content-Security-Policy"]
    return re.search(r"frame-ancestors ([^;]*)", policy).group(1)


def embedded_script(body: str) -> dict | None:
    """The attributes of the embed-mode script tag, or None when the page has none."""
    tag = re.search(r'<script src="[^"]*embedded\.js"([^>]*)>', body)
    if tag is None:
        return None
    pairs = re.findall(r"data-([a-z-]+)=(?:\"([^\"]*)\"|'([^']*)')", tag.group(1))
    return {name: unescape(double or single) for name, double, single in pairs}


def test_each_store_names_only_its_own_origins_as_frame_ancestors(client, allowed):
    a, b = allowed.a.tenant, allowed.b.tenant
    for path in ("/", "/cart", f"/products/{allowed.a.product.id}", "/login"):
        response = client.get(f"/s/{a.slug}{path}")
        assert frame_ancestors(response) == f"'self' http://127.0.0.1:5001 {A_SITE}"
        assert "X-Frame-Options" not in response.headers  # it would contradict the CSP
    response = client.get(f"/s/{b.slug}/")
    assert frame_ancestors(response) == f"'self' {B_SITE}"
    assert A_SITE not in response.headers["Content-Security-Policy"]


def test_a_changed_list_is_named_by_the_next_page_of_a_process_that_kept_the_old_one(
    client, allowed
):
    a = allowed.a.tenant
    assert B_SITE not in frame_ancestors(client.get(f"/s/{a.slug}/"))  # the process keeps it
    with tenant_context(a.id):
        allow_origin(B_SITE, "test")
    assert B_SITE in frame_ancestors(client.get(f"/s/{a.slug}/"))
    with tenant_context(a.id):
        remove_origin(db.session.scalar(select(EmbedOrigin.id).where(EmbedOrigin.origin == A_SITE)))
    assert A_SITE not in frame_ancestors(client.get(f"/s/{a.slug}/"))


def test_pages_outside_a_store_and_stores_without_origins_frame_only_themselves(client, allowed):
    for url in ("/", "/admin/login", f"/s/{allowed.a.tenant.slug}/nowhere"):
        response = client.get(url)
        assert frame_ancestors(response) == "'self'", url
        assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    with tenant_context(allowed.b.tenant.id):
        db.session.execute(EmbedOrigin.__table__.delete().where(EmbedOrigin.origin == B_SITE))
    response = client.get(f"/s/{allowed.b.tenant.slug}/")
    assert frame_ancestors(response) == "'self'"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_the_card_page_keeps_its_stripe_policy_and_gets_the_frame_ancestors(app, client, allowed):
    from storefront.security import payment_page_policy, with_frame_ancestors

    with app.test_request_context():
        policy = with_frame_ancestors(payment_page_policy("https://js.stripe.com/v3"), (A_SITE,))
    assert f"frame-ancestors 'self' {A_SITE}" in policy
    assert "frame-src https://js.stripe.com" in policy


def test_the_service_reads_one_store_list_for_csp_and_cors(allowed):
    a, b = allowed.a.tenant.id, allowed.b.tenant.id
    with tenant_context(b):  # read from another store's context: still A's list only
        assert allowed_origins(a) == ("http://127.0.0.1:5001", A_SITE)
    assert is_allowed(a, A_SITE) and not is_allowed(b, A_SITE)
    assert not is_allowed(a, A_SITE + "/") and not is_allowed(a, None)


def test_embed_mode_only_for_an_allowed_host(client, allowed):
    slug = allowed.a.tenant.slug
    page = client.get(f"/s/{slug}/?embed=1&host=https://evil.example").get_data(as_text=True)
    assert embedded_script(page) is None
    page = client.get(f"/s/{slug}/?embed=1&host={B_SITE}").get_data(as_text=True)
    assert embedded_script(page) is None  # store B's site is not store A's
    page = client.get(f"/s/{slug}/?embed=1&host={A_SITE}").get_data(as_text=True)
    script = embedded_script(page)
    assert script["host"] == A_SITE
    assert script["product-url"] == f"/s/{slug}/products/0"
    assert script["cart-url"] == f"/s/{slug}/cart"
    assert embedded_script(client.get(f"/s/{slug}/cart").get_data(as_text=True))["host"] == A_SITE
    # store B knows nothing of A's embedding
    assert (
        embedded_script(client.get(f"/s/{allowed.b.tenant.slug}/").get_data(as_text=True)) is None
    )
    # a later claim of another host leaves embed mode
    client.get(f"/s/{slug}/?embed=1&host=https://evil.example")
    assert embedded_script(client.get(f"/s/{slug}/cart").get_data(as_text=True)) is None


def test_a_removed_origin_is_no_longer_talked_to(client, allowed):
    slug = allowed.a.tenant.slug
    client.get(f"/s/{slug}/?embed=1&host={A_SITE}")
    with tenant_context(allowed.a.tenant.id):
        remove_origin(db.session.scalar(select(EmbedOrigin.id).where(EmbedOrigin.origin == A_SITE)))
    page = client.get(f"/s/{slug}/").get_data(as_text=True)
    assert embedded_script(page) is None
    assert client.get(f"/s/{slug}/embed/events.json").json["host"] is None


def test_cart_changes_reach_the_host_once(client, allowed):
    a = allowed.a
    slug = a.tenant.slug
    script = embedded_script(client.get(f"/s/{slug}/?embed=1&host={A_SITE}").get_data(as_text=True))
    assert script["events"] == "[]"  # nothing happened yet
    client.post(f"/s/{slug}/cart/items", data={"product_id": a.product.id, "quantity": 2})
    script = embedded_script(client.get(f"/s/{slug}/cart").get_data(as_text=True))
    assert '"type":"kuajing:cart.changed"' in script["events"].replace(" ", "")
    assert '"quantity":2' in script["events"].replace(" ", "")
    assert embedded_script(client.get(f"/s/{slug}/cart").get_data(as_text=True))["events"] == "[]"
    client.post(f"/s/{slug}/cart/items", data={"product_id": a.product.id, "quantity": 0})
    events = client.get(f"/s/{slug}/embed/events.json").json["events"]
    assert events == [{"type": "kuajing:cart.changed", "detail": {"lines": 0, "quantity": 0}}]


def test_orders_placed_and_paid_in_the_frame_reach_the_host(client, allowed):
    a = allowed.a
    slug = a.tenant.slug
    login_shopper(client, a.tenant, a.shopper)
    client.get(f"/s/{slug}/?embed=1&host={A_SITE}")  # the order made before is not news
    assert client.get(f"/s/{slug}/embed/events.json").json["events"] == []
    with tenant_context(a.tenant.id):
        placed = factories.order(a.shopper, a.product, a.address, a.identity, "pending_payment")
    answer = client.get(f"/s/{slug}/embed/events.json").json
    assert answer["poll"] is True  # waiting for the payment
    assert [e["type"] for e in answer["events"]] == ["kuajing:order.placed"]
    assert answer["events"][0]["detail"] == {
        "order": placed.number,
        "total": "877.45",
        "status": "pending_payment",
    }
    with tenant_context(a.tenant.id):
        row = db.session.scalar(select(Order).where(Order.id == placed.id))
        row.status, row.paid_at = "paid", row.placed_at
        db.session.flush()
    answer = client.get(f"/s/{slug}/embed/events.json").json
    assert [e["type"] for e in answer["events"]] == ["kuajing:order.paid"]
    assert answer["poll"] is False
    assert client.get(f"/s/{slug}/embed/events.json").json["events"] == []


def test_outside_embed_mode_the_events_are_empty(client, allowed):
    answer = client.get(f"/s/{allowed.a.tenant.slug}/embed/events.json").json
    assert answer == {"host": None, "events": [], "poll": False}


def test_the_snippet_script_is_served_at_a_stable_address(client):
    response = client.get("/embed.js")
    assert response.status_code == 200
    assert "javascript" in response.content_type
    assert "kuajing:open" in response.get_data(as_text=True)


@pytest.mark.parametrize("embedded", [True, False])
def test_over_https_the_framed_session_cookie_is_partitioned(database_url, tenants, embedded):
    """Inside a third-party frame only a SameSite=None cookie is sent; Partitioned keeps it
    under the host page's site. Outside embed mode the cookie stays Lax."""
    secure = create_app(app_config(database_url, SESSION_COOKIE_SECURE=True))
    slug = tenants.a.tenant.slug
    with tenant_context(tenants.a.tenant.id):
        allow_origin(A_SITE, "test")
    host = A_SITE if embedded else "https://evil.example"
    with secure.test_client() as client:
        client.get(f"https://localhost/s/{slug}/?embed=1&host={host}")
        response = client.post(
            f"https://localhost/s/{slug}/cart/items",
            data={"product_id": tenants.a.product.id, "quantity": 1},
        )
        cookie = response.headers["Set-Cookie"]
        assert g.get("embed_host") == (A_SITE if embedded else None)
    assert "Secure" in cookie and "HttpOnly" in cookie
    if embedded:
        assert "SameSite=None" in cookie and "Partitioned" in cookie
    else:
        assert "SameSite=Lax" in cookie and "Partitioned" not in cookie


def test_the_owner_adds_and_removes_allowed_origins_and_copies_the_snippet(client, tenants):
    login_staff(client, tenants.a.owner)
    page = client.get("/admin/embedding").get_data(as_text=True)
    slug = tenants.a.tenant.slug
    assert (
        f"&lt;script src=&#34;http://localhost/embed.js&#34; data-store=&#34;{slug}&#34; "
        "async&gt;&lt;/script&gt;" in page
    )
    response = client.post("/admin/embedding", data={"origin": "HTTPS://Shop.Example.com/"})
    assert response.status_code == 302
    page = client.get("/admin/embedding").get_data(as_text=True)
    assert "https://shop.example.com" in page
    for typed in ("https://shop.example.com", "https://*.example.com", "http://shop.example.com"):
        response = client.post("/admin/embedding", data={"origin": typed})
        assert response.status_code == 200  # the form again, with the reason
        assert '<small class="error">' in response.get_data(as_text=True)
    with tenant_context(tenants.a.tenant.id):
        assert allowed_origins(tenants.a.tenant.id) == ("https://shop.example.com",)
        row_id = db.session.scalar(select(EmbedOrigin.id))
    assert "https://shop.example.com" in client.get(f"/admin/embedding/{row_id}/remove").get_data(
        as_text=True
    )
    response = client.post(f"/admin/embedding/{row_id}/remove")
    assert response.status_code == 302
    assert allowed_origins(tenants.a.tenant.id) == ()


@pytest.mark.parametrize(
    ("typed", "words"),
    [("https://*.example.com", "通配符"), ("http://shop.example.com", "https://")],
)
def test_the_console_says_why_in_chinese(client, tenants, typed, words):
    login_staff(client, tenants.a.owner)
    body = client.post("/admin/embedding", data={"origin": typed}).get_data(as_text=True)
    assert words in re.search(r'<small class="error">([^<]*)</small>', body).group(1)


def test_staff_who_are_not_owners_cannot_change_the_list(client, tenants):
    with tenant_context(tenants.a.tenant.id):
        clerk = factories.staff(role="staff")
    login_staff(client, clerk)
    assert client.get("/admin/embedding").status_code == 403
    assert client.post("/admin/embedding", data={"origin": A_SITE}).status_code == 403
    assert allowed_origins(tenants.a.tenant.id) == ()


def test_an_origin_python_cannot_split_is_refused_in_the_form(client, tenants):
    login_staff(client, tenants.a.owner)
    for typed in ("https://[::1", "https://shop\uff03.example"):
        response = client.post("/admin/embedding", data={"origin": typed})
        assert response.status_code == 200  # the form with its reason, not a 500
        assert '<small class="error">' in response.get_data(as_text=True)
    assert allowed_origins(tenants.a.tenant.id) == ()


def test_an_owner_with_a_long_name_and_e_mail_adds_an_origin(client, tenants):
    """The list shows who added each origin: 80 characters of name and a 200-character
    e-mail do not fit its column and are cut, not refused with a 500."""
    with tenant_context(tenants.a.tenant.id):
        owner = factories.staff(email="o" * 180 + "@long.example.com")
        owner.name = "名" * 80
        db.session.flush()
    login_staff(client, owner)
    assert client.post("/admin/embedding", data={"origin": A_SITE}).status_code == 302
    with tenant_context(tenants.a.tenant.id):
        (row,) = db.session.scalars(select(EmbedOrigin)).all()
    assert row.origin == A_SITE and row.created_by.startswith("名" * 80 + " <ooo")
    assert len(row.created_by) == 120 and row.created_by.endswith("…")
