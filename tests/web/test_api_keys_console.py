"""The console's API keys page (issue 14): owners create, list and revoke keys; the secret is
shown once; the API honours the key's scope until it is revoked."""

import re

from storefront.services.api_access import KeyScope, create_key
from storefront.tenancy import tenant_context
from tests.api.helpers import bearer
from tests.support import factories
from tests.web.helpers import login_staff


def _create(client, name: str, scope: str):
    return client.post("/admin/api-keys", data={"name": name, "scope": scope})


def _secret(page: str) -> str:
    return re.search(r'id="api-key-secret"[^>]*>(kjk_[^<]+)</textarea>', page).group(1)


def test_the_owner_creates_a_key_whose_secret_is_shown_once(client, tenants):
    login_staff(client, tenants.a.owner)
    response = _create(client, "ERP sync", "write")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    secret = _secret(page)
    assert 'data-copy="api-key-secret"' in page and "copy_text.js" in page
    assert "<script>" not in page  # the copy button is the static file's, no inline script
    listing = client.get("/admin/api-keys").get_data(as_text=True)
    assert "ERP sync" in listing and secret[:12] in listing and secret not in listing
    slug = tenants.a.tenant.slug
    assert client.post(f"/api/v1/stores/{slug}/carts", headers=bearer(secret)).status_code == 201


def test_a_read_key_made_in_the_console_cannot_write(client, tenants):
    login_staff(client, tenants.a.owner)
    secret = _secret(_create(client, "Reporting", "read").get_data(as_text=True))
    slug = tenants.a.tenant.slug
    assert client.get(f"/api/v1/stores/{slug}/products", headers=bearer(secret)).status_code == 200
    assert client.post(f"/api/v1/stores/{slug}/carts", headers=bearer(secret)).status_code == 403


def test_a_blank_name_or_unknown_scope_is_refused_in_the_page(client, tenants):
    login_staff(client, tenants.a.owner)
    for name, scope in (("   ", "read"), ("ok", "admin")):
        response = _create(client, name, scope)
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert 'class="error"' in page and 'id="api-key-secret"' not in page


def test_revoking_asks_first_then_the_key_stops_working(client, tenants):
    login_staff(client, tenants.a.owner)
    secret = _secret(_create(client, "Old server", "read").get_data(as_text=True))
    listing = client.get("/admin/api-keys").get_data(as_text=True)
    revoke_url = re.search(r'href="(/admin/api-keys/\d+/revoke)"', listing).group(1)
    confirm = client.get(revoke_url).get_data(as_text=True)
    assert "Old server" in confirm and 'id="confirm-revoke"' in confirm
    url = f"/api/v1/stores/{tenants.a.tenant.slug}"
    assert client.get(url, headers=bearer(secret)).status_code == 200
    assert client.post(revoke_url).status_code == 302
    assert client.get(url, headers=bearer(secret)).status_code == 401
    listing = client.get("/admin/api-keys").get_data(as_text=True)
    assert revoke_url not in listing  # a revoked key offers no second revocation


def test_staff_may_not_see_or_manage_keys(client, tenants):
    with tenant_context(tenants.a.tenant.id):
        clerk = factories.staff("clerk@alpha.example", role="staff")
        key = create_key("owner's", KeyScope.WRITE, None)[0]
    login_staff(client, clerk)
    assert 'id="nav-api-keys"' not in client.get("/admin/").get_data(as_text=True)
    assert client.get("/admin/api-keys").status_code == 403
    assert _create(client, "mine", "write").status_code == 403
    assert client.post(f"/admin/api-keys/{key.id}/revoke").status_code == 403


def test_another_stores_key_cannot_be_revoked(client, tenants):
    with tenant_context(tenants.b.tenant.id):
        key = create_key("B's", KeyScope.READ, None)[0]
    login_staff(client, tenants.a.owner)
    assert client.get(f"/admin/api-keys/{key.id}/revoke").status_code == 404
    assert client.post(f"/admin/api-keys/{key.id}/revoke").status_code == 404
