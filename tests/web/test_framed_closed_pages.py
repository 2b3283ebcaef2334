"""A suspended or not yet opened store's page, inside a host page that embeds the store
(issue 14, SPEC §10): framed by the store's allowed origins, so the host shows the page
instead of a browser refusal; other stores' origins still may not frame it."""

import pytest

from storefront.extensions import db
from storefront.models.types import utcnow
from tests.support.embedding import A_SITE, B_SITE, allow_own_sites
from tests.web.test_embedding import frame_ancestors


@pytest.fixture
def allowed(tenants):
    """Store A allows A_SITE; store B allows B_SITE."""
    return allow_own_sites(tenants)


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [("suspended_at", utcnow, "closed"), ("opened_at", lambda: None, "opening soon")],
)
def test_a_closed_stores_pages_are_framed_by_its_origins(client, allowed, column, value, words):
    a = allowed.a.tenant
    setattr(a, column, value())
    db.session.flush()
    for path in ("/", "/cart", "/login"):
        response = client.get(
            f"/s/{a.slug}{path}?embed=1&host={A_SITE}", headers={"Accept-Language": "en"}
        )
        assert response.status_code == 503
        assert words in response.get_data(as_text=True)
        assert frame_ancestors(response) == f"'self' {A_SITE}"
        assert B_SITE not in response.headers["Content-Security-Policy"]
        assert "X-Frame-Options" not in response.headers  # it would contradict the CSP
    open_b = client.get(f"/s/{allowed.b.tenant.slug}/")
    assert frame_ancestors(open_b) == f"'self' {B_SITE}"


def test_a_closed_store_without_origins_frames_only_itself(client, tenants):
    a = tenants.a.tenant
    a.suspended_at = utcnow()
    db.session.flush()
    response = client.get(f"/s/{a.slug}/")
    assert response.status_code == 503
    assert frame_ancestors(response) == "'self'"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
