"""Password reset by e-mail link for staff, operators and shoppers."""

import pytest
from sqlalchemy import select

from storefront.domain.errors import ErrorCode, Refused
from storefront.extensions import db
from storefront.models import LoginCounter
from storefront.services import password_reset
from storefront.tenancy import system_context, tenant_context
from tests.support.factories import PASSWORD
from tests.support.mail import last_link, sent_to
from tests.web.helpers import login_staff

NEW = "a brand new reset password"
SAME_ANSWER = "如果有账号使用此邮箱"


def _areas(tenants):
    """(forgot page, account) of each kind of account."""
    store = tenants.a.tenant
    return {
        "staff": ("/admin/password/forgot", tenants.a.owner),
        "operator": ("/platform/password/forgot", tenants.operator),
        "shopper": (f"/s/{store.slug}/password/forgot", tenants.a.shopper),
    }


def _reset(client, link: str, password: str = NEW):
    return client.post(link, data={"password": password, "confirm": password})


@pytest.mark.parametrize("kind", ["staff", "operator", "shopper"])
def test_a_reset_link_sets_the_password_once(client, tenants, kind):
    forgot, account = _areas(tenants)[kind]
    page = client.post(forgot, data={"email": account.email.upper()}, follow_redirects=True)
    assert SAME_ANSWER in page.get_data(as_text=True)
    [message] = sent_to(account.email)
    assert "重置" in message.subject and "http://localhost/" in message.text
    link = last_link(account.email)
    assert _reset(client, link).status_code == 302
    db.session.expire_all()
    assert account.check_password(NEW)
    again = _reset(client, link, "yet another password here")
    assert "已过期或已被使用" in again.get_data(as_text=True)  # once only


def test_other_sessions_end(app, tenants):
    device = app.test_client()
    login_staff(device, tenants.a.owner)
    assert device.get("/admin/").status_code == 200
    visitor = app.test_client()
    visitor.post("/admin/password/forgot", data={"email": tenants.a.owner.email})
    _reset(visitor, last_link(tenants.a.owner.email))
    assert device.get("/admin/").status_code == 302


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, tenants):
    page = client.post(
        "/admin/password/forgot", data={"email": "nobody@example.com"}, follow_redirects=True
    )
    assert SAME_ANSWER in page.get_data(as_text=True)
    assert sent_to("nobody@example.com") == []


def test_a_shopper_of_another_store_gets_no_link_here(client, tenants):
    slug = tenants.a.tenant.slug
    client.post(f"/s/{slug}/password/forgot", data={"email": tenants.b.shopper.email})
    assert sent_to(tenants.b.shopper.email) == []


def test_a_shopper_link_opened_at_another_store_is_refused(client, tenants):
    a, b = tenants.a, tenants.b
    client.post(f"/s/{a.tenant.slug}/password/forgot", data={"email": a.shopper.email})
    link = last_link(a.shopper.email).replace(a.tenant.slug, b.tenant.slug)
    assert "已过期或已被使用" in _reset(client, link).get_data(as_text=True)
    db.session.expire_all()
    assert a.shopper.check_password(PASSWORD)


def test_requests_are_limited_per_account(app, client, tenants):
    email = tenants.a.owner.email
    for _ in range(app.config["PASSWORD_RESET_PER_HOUR"] + 2):
        client.post("/admin/password/forgot", data={"email": email})
    assert len(sent_to(email)) == app.config["PASSWORD_RESET_PER_HOUR"]


def test_a_password_change_voids_an_earlier_link(client, tenants):
    owner = tenants.a.owner
    client.post("/admin/password/forgot", data={"email": owner.email})
    link = last_link(owner.email)
    with tenant_context(tenants.a.tenant.id):
        owner.set_password("changed somewhere else")
        db.session.flush()
    assert "已过期或已被使用" in _reset(client, link).get_data(as_text=True)


def test_an_expired_or_forged_link_is_refused(app, client, tenants, monkeypatch):
    client.post("/platform/password/forgot", data={"email": tenants.operator.email})
    token = last_link(tenants.operator.email).rsplit("/", 1)[1]
    monkeypatch.setitem(app.config, "PASSWORD_RESET_MINUTES", -1)
    with pytest.raises(Refused) as expired:
        password_reset.reset_password(token, NEW)
    monkeypatch.setitem(app.config, "PASSWORD_RESET_MINUTES", 60)
    with pytest.raises(Refused) as forged:
        password_reset.reset_password(token[:-2] + "xx", NEW)
    assert expired.value.code == forged.value.code == ErrorCode.RESET_LINK_INVALID


def test_the_sign_in_pages_offer_the_link(client, tenants):
    for page in ("/admin/login", "/platform/login", f"/s/{tenants.a.tenant.slug}/login"):
        assert "忘记密码" in client.get(page).get_data(as_text=True)


def test_nothing_about_the_address_is_kept_but_the_counter(client, tenants):
    client.post("/admin/password/forgot", data={"email": "counted@example.com"})
    with system_context():
        keys = db.session.scalars(select(LoginCounter.key)).all()
    assert "reset:staff::counted@example.com" in keys


def test_a_reset_asked_under_another_host_is_refused(client, tenants):
    """A client naming its own server as Host would get the victim's token mailed there."""
    owner = tenants.a.owner
    asked = client.post(
        "/admin/password/forgot", data={"email": owner.email}, headers={"Host": "evil.example"}
    )
    assert asked.status_code == 400
    assert "本站不在此地址提供服务" in asked.get_data(as_text=True)
    assert not sent_to(owner.email)


def test_the_mailed_link_is_on_the_public_address_whatever_the_host(app, client, tenants):
    owner = tenants.a.owner
    app.config.update(TRUSTED_HOSTS=None, PUBLIC_URL="https://shop.kuajing.example/market")
    try:
        client.post(
            "/admin/password/forgot", data={"email": owner.email}, headers={"Host": "evil.example"}
        )
    finally:
        app.config.update(TRUSTED_HOSTS=["localhost", "127.0.0.1"], PUBLIC_URL="http://localhost")
    [message] = sent_to(owner.email)
    assert "https://shop.kuajing.example/market/admin/password/reset/" in message.text
    assert "evil.example" not in message.text + (message.html or "")
