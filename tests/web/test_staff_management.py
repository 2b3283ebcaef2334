"""Staff management: invitations by e-mail link, roles enforced centrally, deactivation."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from admin.access import GUARDED_ENDPOINTS, required_permission
from storefront.domain.permissions import ROLE_PERMISSIONS, Permission, may
from storefront.extensions import db
from storefront.models import StaffInvite, StaffUser, WebhookEndpoint
from storefront.models.types import utcnow
from storefront.services import staff as staff_service
from storefront.tenancy import system_context, tenant_context
from tests.support import factories
from tests.support.mail import last_link, sent_to
from tests.web.helpers import login_staff
from tests.web.test_isolation import _url

EN = {"Accept-Language": "en"}
NEW_PASSWORD = "a fresh staff password"


def _invite(client, email: str, role: str = "staff", locale: str = "zh_CN"):
    data = {"name": "李四", "email": email, "role": role, "locale": locale}
    return client.post("/admin/staff/invite", data=data)


def _accept(client, link: str, name: str = "李四", password: str = NEW_PASSWORD):
    return client.post(link, data={"name": name, "password": password, "confirm": password})


def _staff(email: str) -> StaffUser | None:
    with system_context():
        db.session.expire_all()
        return db.session.scalar(select(StaffUser).where(StaffUser.email == email))


def test_an_invited_person_sets_a_password_and_is_signed_in_as_staff(app, client, tenants):
    login_staff(client, tenants.a.owner)
    assert _invite(client, "new.clerk@example.com").status_code == 302
    [message] = sent_to("new.clerk@example.com")
    assert "邀请" in message.subject and tenants.a.tenant.name in message.text
    assert "http://localhost/admin/invite/" in message.text  # an absolute link
    link = last_link("new.clerk@example.com")
    newcomer = app.test_client()
    assert (
        "设置" in newcomer.get(link).get_data(as_text=True) or newcomer.get(link).status_code == 200
    )
    assert _accept(newcomer, link).status_code == 302
    user = _staff("new.clerk@example.com")
    assert (user.tenant_id, user.role, user.active) == (tenants.a.tenant.id, "staff", True)
    assert newcomer.get("/admin/").status_code == 200  # signed in
    used = app.test_client().get(link).get_data(as_text=True)
    assert "已被使用" in used  # a link works once


def test_the_mail_is_in_the_language_the_owner_chose(client, tenants):
    login_staff(client, tenants.a.owner)
    _invite(client, "english.clerk@example.com", locale="en")
    [message] = sent_to("english.clerk@example.com")
    assert "invites you" in message.text and message.html and "<a href=" in message.html


def test_only_the_link_hash_is_stored(client, tenants):
    login_staff(client, tenants.a.owner)
    _invite(client, "hashed@example.com")
    token = last_link("hashed@example.com").rsplit("/", 1)[1]
    with tenant_context(tenants.a.tenant.id):
        invite = db.session.scalar(
            select(StaffInvite).where(StaffInvite.email == "hashed@example.com")
        )
    assert token not in invite.token_hash and len(invite.token_hash) == 64


@pytest.mark.parametrize(
    ("spoil", "words"),
    [
        ("expire", "已过期"),
        ("revoke", "撤回"),
        ("resend", "无效"),  # resending replaces the link
    ],
)
def test_spoiled_links_get_a_clear_page_and_make_no_account(app, client, tenants, spoil, words):
    login_staff(client, tenants.a.owner)
    _invite(client, "spoiled@example.com")
    link = last_link("spoiled@example.com")
    with tenant_context(tenants.a.tenant.id):
        invite = db.session.scalar(
            select(StaffInvite).where(StaffInvite.email == "spoiled@example.com")
        )
    if spoil == "expire":
        with tenant_context(tenants.a.tenant.id):
            invite.expires_at = utcnow() - timedelta(minutes=1)
            db.session.flush()
    else:
        client.post(f"/admin/staff/invites/{invite.id}/{spoil}")
    visitor = app.test_client()
    assert words in visitor.get(link).get_data(as_text=True)
    _accept(visitor, link)
    assert _staff("spoiled@example.com") is None
    if spoil == "resend":
        assert _accept(visitor, last_link("spoiled@example.com")).status_code == 302


def test_an_address_already_in_use_is_refused(client, tenants):
    login_staff(client, tenants.a.owner)
    page = _invite(client, tenants.b.owner.email)
    assert page.status_code == 200 and "已被使用" in page.get_data(as_text=True)
    assert sent_to(tenants.b.owner.email) == []


def test_the_accept_page_refuses_common_passwords(app, client, tenants):
    login_staff(client, tenants.a.owner)
    _invite(client, "weak.pass@example.com")
    response = _accept(app.test_client(), last_link("weak.pass@example.com"), password="1234567890")
    assert response.status_code == 200 and "过于常见" in response.get_data(as_text=True)
    assert _staff("weak.pass@example.com") is None


def test_the_permission_table_gives_owners_everything_and_staff_none_of_the_guarded():
    assert ROLE_PERMISSIONS["owner"] == frozenset(Permission)
    assert not any(may("staff", permission) for permission in Permission)
    assert set(GUARDED_ENDPOINTS.values()) == set(Permission)


@pytest.mark.parametrize("endpoint", ["webhooks", "delete_webhook", "retry_event"])
def test_webhook_endpoints_are_owner_only_as_the_other_integrations(endpoint):
    """Their signing secrets and where order events go are the store's outside contracts."""
    assert required_permission(f"console.{endpoint}") == Permission.MANAGE_INTEGRATIONS


def test_staff_may_neither_read_nor_change_the_webhooks(app, client, tenants):
    login_staff(client, _clerk(tenants))
    assert "/admin/webhooks" not in client.get("/admin/").get_data(as_text=True)
    assert client.get("/admin/webhooks").status_code == 403
    added = client.post("/admin/webhooks", data={"url": "https://hooks.example.com/k"})
    assert added.status_code == 403
    with tenant_context(tenants.a.tenant.id):
        assert not db.session.scalars(select(WebhookEndpoint)).all()


def _clerk(tenants) -> StaffUser:
    with tenant_context(tenants.a.tenant.id):
        return factories.staff(f"clerk@{tenants.a.tenant.slug}.example", role="staff")


def test_staff_get_a_clear_403_on_every_guarded_console_endpoint(app, client, tenants):
    login_staff(client, _clerk(tenants))
    store, checked = tenants.a, 0
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("console.") or required_permission(rule.endpoint) is None:
            continue
        url = _url(app, rule, store, store.tenant.slug)
        for method in sorted(rule.methods & {"GET", "POST"}):
            response = client.open(url, method=method, headers=EN)
            assert response.status_code == 403, f"{method} {url}: {response.status_code}"
            assert "Your role does not allow this" in response.get_data(as_text=True)
            checked += 1
    assert checked >= 10


def test_staff_reach_every_other_console_page(app, client, tenants):
    login_staff(client, _clerk(tenants))
    store = tenants.a
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("console.") or "GET" not in rule.methods:
            continue
        if required_permission(rule.endpoint) is not None:
            continue
        url = _url(app, rule, store, store.tenant.slug)
        response = client.get(url)
        assert response.status_code != 403, f"GET {url}"


def test_staff_see_no_link_to_what_they_may_not_do(client, tenants):
    login_staff(client, _clerk(tenants))
    page = client.get("/admin/staff").get_data(as_text=True)
    assert "/admin/staff/invite" not in page and "/deactivate" not in page
    assert "/admin/integrations" not in client.get("/admin/").get_data(as_text=True)
    order = client.get(f"/admin/orders/{tenants.a.order.id}").get_data(as_text=True)
    assert "/refund" not in order


def test_deactivation_ends_the_sessions_and_reactivation_lets_them_back(app, client, tenants):
    clerk = _clerk(tenants)
    clerks_browser = app.test_client()
    login_staff(clerks_browser, clerk)
    login_staff(client, tenants.a.owner)
    client.post(f"/admin/staff/{clerk.id}/deactivate")
    assert clerks_browser.get("/admin/").status_code == 302  # signed out
    refused = clerks_browser.post(
        "/admin/login", data={"email": clerk.email, "password": factories.PASSWORD}
    )
    assert refused.status_code == 200
    client.post(f"/admin/staff/{clerk.id}/reactivate")
    login_staff(clerks_browser, clerk)


def test_the_last_active_owner_can_be_neither_deactivated_nor_demoted(client, tenants):
    owner = tenants.a.owner
    login_staff(client, owner)
    demoted = client.post(
        f"/admin/staff/{owner.id}/role", data={"role": "staff"}, follow_redirects=True
    )
    assert "需要一位有效的店主" in demoted.get_data(as_text=True)
    client.post(f"/admin/staff/{owner.id}/deactivate")
    assert _staff(owner.email).is_owner and _staff(owner.email).active
    clerk = _clerk(tenants)
    client.post(f"/admin/staff/{clerk.id}/role", data={"role": "owner"})
    assert _staff(clerk.email).is_owner
    client.post(f"/admin/staff/{owner.id}/role", data={"role": "staff"})
    assert not _staff(owner.email).is_owner  # another owner is there now


def test_an_address_taken_between_the_check_and_the_insert_is_refused(
    app, client, tenants, monkeypatch
):
    login_staff(client, tenants.a.owner)
    _invite(client, "raced@example.com")
    link = last_link("raced@example.com")
    with tenant_context(tenants.b.tenant.id):
        factories.staff("raced@example.com")  # the other store's login, made meanwhile
    monkeypatch.setattr(staff_service, "_refuse_taken", lambda email: None)
    page = _accept(app.test_client(), link)
    assert page.status_code == 200 and "已被使用" in page.get_data(as_text=True)
