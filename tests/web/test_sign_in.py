"""Sign-in on the three areas: `next` redirects, session lifetime, registration, passwords."""

import pytest
from sqlalchemy import select

from storefront.extensions import db
from storefront.models import LoginCounter, Notification, Shopper
from storefront.tenancy import tenant_context
from tests.support.factories import PASSWORD
from tests.web.helpers import login_operator, login_shopper, login_staff

HOSTILE_NEXT = [
    "/%09/evil.example/",
    "/%0d%0aSet-Cookie:%20x=1",
    "%0d%0a",
    "//evil.example/",
    "/%2F/evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "/%00",
    "/%E2%80%A8/evil.example",
    "/" + "a" * 5000,
]


def _sign_in_pages(tenants):
    slug = tenants.a.tenant.slug
    return [
        (f"/s/{slug}/login", tenants.a.shopper.email, f"/s/{slug}/"),
        ("/admin/login", tenants.a.owner.email, "/admin/"),
        ("/platform/login", tenants.operator.email, "/platform/"),
    ]


@pytest.mark.parametrize("hostile", HOSTILE_NEXT)
def test_next_never_leaves_the_site_on_any_sign_in_page(app, session, tenants, hostile):
    for page, email, home in _sign_in_pages(tenants):
        client = app.test_client()
        response = client.post(
            f"{page}?next={hostile}", data={"email": email, "password": PASSWORD}
        )
        if response.status_code in (400, 414):  # refused outright by the input layer
            continue
        assert response.status_code == 302, f"{page} next={hostile[:40]}"
        assert response.headers["Location"] == home, f"{page} next={hostile[:40]}"


def test_a_local_next_is_followed(client, tenants):
    response = client.post(
        "/admin/login?next=/admin/products?page=2",
        data={"email": tenants.a.owner.email, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/admin/products?page=2"


def _session_cookie(client) -> str:
    return client.get_cookie("session").value


def _with_cookie(app, value: str):
    other = app.test_client()
    other.set_cookie("session", value)
    return other


def test_an_old_session_cookie_is_dead_after_sign_out(app, client, tenants):
    login_staff(client, tenants.a.owner)
    copied = _session_cookie(client)
    assert _with_cookie(app, copied).get("/admin/products").status_code == 200
    client.post("/admin/logout")
    response = _with_cookie(app, copied).get("/admin/products")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login")


def test_a_password_change_ends_the_shoppers_sessions(app, client, tenants):
    store, shopper = tenants.a.tenant, tenants.a.shopper
    login_shopper(client, store, shopper)
    copied = _session_cookie(client)
    assert _with_cookie(app, copied).get(f"/s/{store.slug}/account").status_code == 200
    with tenant_context(store.id):
        shopper.set_password("a brand new secret")
        db.session.commit()
    response = _with_cookie(app, copied).get(f"/s/{store.slug}/account")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_sign_in_starts_a_new_session_but_keeps_the_cart(client, tenants):
    with client.session_transaction() as before:
        before["csrf_token"] = "planted-token"
        before["_user_id"] = "planted"
        before["carts"] = {"1": [[2, 1]]}
    login_operator(client, tenants.operator)
    with client.session_transaction() as after:
        assert after.get("csrf_token") != "planted-token"
        assert after["_user_id"] != "planted"
        assert after["carts"] == {"1": [[2, 1]]}


def test_forwarded_addresses_are_ignored_without_trusted_proxies(client, tenants):
    client.post(
        "/admin/login",
        data={"email": tenants.a.owner.email, "password": "wrong"},
        headers={"X-Forwarded-For": "203.0.113.9"},
    )
    keys = set(db.session.scalars(select(LoginCounter.key)))
    assert "ip:127.0.0.1" in keys
    assert "ip:203.0.113.9" not in keys


def test_one_address_is_throttled_across_accounts(app, client, tenants):
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 3
    try:
        for n in range(3):
            client.post("/admin/login", data={"email": f"n{n}@example.com", "password": "x"})
        response = client.post(
            "/admin/login", data={"email": tenants.a.owner.email, "password": PASSWORD}
        )
    finally:
        app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 50
    assert "尝试次数过多" in response.get_data(as_text=True)


def test_a_successful_sign_in_is_not_counted_against_the_address(app, client, tenants):
    for _ in range(8):
        login_staff(client, tenants.a.owner)
    counter = db.session.get(LoginCounter, "ip:127.0.0.1")
    assert counter.failures == 0


NEW_PASSWORD = "long enough"


def _register(client, slug: str, email: str, password: str = NEW_PASSWORD):
    return client.post(
        f"/s/{slug}/register",
        data={"name": "王五", "email": email, "password": password, "confirm": password},
    )


def test_registration_does_not_tell_whether_the_email_has_an_account(app, session, tenants):
    store, existing = tenants.a.tenant, tenants.a.shopper
    fresh = _register(app.test_client(), store.slug, "new-person@example.com")
    taken = _register(app.test_client(), store.slug, existing.email.upper())
    assert fresh.status_code == taken.status_code == 302
    assert fresh.headers["Location"] == taken.headers["Location"] == f"/s/{store.slug}/login"
    with tenant_context(store.id):
        same_email = select(Shopper).where(Shopper.email == existing.email)
        assert len(db.session.scalars(same_email).all()) == 1
        kinds = db.session.scalars(
            select(Notification.kind).where(Notification.shopper_id == existing.id)
        ).all()
    assert "registration" in kinds


@pytest.mark.parametrize("weak", ["12345678", "password", "qwerty123", "8888888888"])
def test_common_passwords_are_refused_at_registration(client, tenants, weak):
    response = _register(client, tenants.a.tenant.slug, "weak@example.com", weak)
    assert response.status_code == 200
    assert "过于常见" in response.get_data(as_text=True)
    with tenant_context(tenants.a.tenant.id):
        assert db.session.scalar(select(Shopper).where(Shopper.email == "weak@example.com")) is None


CHANGED = "a brand new secret"


def test_changing_the_password_signs_out_every_other_device(app, client, tenants):
    store, shopper = tenants.a.tenant, tenants.a.shopper
    other_device = app.test_client()
    login_shopper(other_device, store, shopper)
    login_shopper(client, store, shopper)
    response = client.post(
        f"/s/{store.slug}/account/password",
        data={"current": PASSWORD, "password": CHANGED, "confirm": CHANGED},
    )
    assert response.status_code == 302
    assert client.get(f"/s/{store.slug}/account").status_code == 200
    assert other_device.get(f"/s/{store.slug}/account").status_code == 302
    response = app.test_client().post(
        f"/s/{store.slug}/login", data={"email": shopper.email, "password": CHANGED}
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("current", "new", "message"),
    [("not my password", CHANGED, "当前密码不正确"), (PASSWORD, "12345678", "过于常见")],
)
def test_a_password_change_needs_the_current_password_and_a_strong_one(
    client, tenants, current, new, message
):
    store, shopper = tenants.a.tenant, tenants.a.shopper
    login_shopper(client, store, shopper)
    response = client.post(
        f"/s/{store.slug}/account/password",
        data={"current": current, "password": new, "confirm": new},
    )
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert client.get(f"/s/{store.slug}/account").status_code == 200
