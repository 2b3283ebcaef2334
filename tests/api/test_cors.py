"""CORS (issue 14): a store's allowed embedding origins may call its API from a browser; any
other origin, another store's included, gets no CORS headers; preflights need no credential
and spend no requests; the OpenAPI document is readable from anywhere."""

import pytest
from sqlalchemy import delete

from storefront.api.operation import spec
from storefront.extensions import db
from storefront.models import EmbedOrigin
from storefront.tenancy import tenant_context
from tests.api.helpers import bearer, shopper_token
from tests.api.test_rate_limits import limits  # noqa: F401 - small limits, fresh counters
from tests.support.embedding import A_SITE, B_SITE, allow_own_sites

STRANGER = "https://elsewhere.example.net"
CORS_HEADERS = (
    "Access-Control-Allow-Origin",
    "Access-Control-Allow-Methods",
    "Access-Control-Allow-Headers",
    "Access-Control-Expose-Headers",
    "Access-Control-Max-Age",
    "Access-Control-Allow-Credentials",
)


@pytest.fixture
def allowed(tenants):
    """Store A allows A_SITE; store B allows B_SITE."""
    return allow_own_sites(tenants)


def preflight(client, url: str, origin: str, method: str = "POST"):
    headers = {
        "Origin": origin,
        "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": "authorization, content-type, idempotency-key",
    }
    return client.options(url, headers=headers)


def assert_no_cors(response) -> None:
    present = [name for name in CORS_HEADERS if name in response.headers]
    assert present == [], present


def test_an_allowed_origin_reads_get_and_post_answers(client, allowed):
    slug = allowed.a.tenant.slug
    answers = (
        client.get(f"/api/v1/stores/{slug}/products", headers={"Origin": A_SITE}),
        client.post(f"/api/v1/stores/{slug}/carts", headers={"Origin": A_SITE}),
    )
    assert [response.status_code for response in answers] == [200, 201]
    for response in answers:
        assert response.headers["Access-Control-Allow-Origin"] == A_SITE
        assert "Origin" in response.vary
        exposed = response.headers["Access-Control-Expose-Headers"]
        assert "Retry-After" in exposed and "Idempotent-Replayed" in exposed
        assert "Access-Control-Allow-Credentials" not in response.headers  # bearer, no cookies


def test_a_preflight_needs_no_credential_and_names_the_methods_and_headers(client, allowed):
    slug = allowed.a.tenant.slug
    response = preflight(client, f"/api/v1/stores/{slug}/carts", A_SITE)
    assert response.status_code == 204 and response.get_data() == b""
    assert response.headers["Access-Control-Allow-Origin"] == A_SITE
    assert response.headers["Access-Control-Allow-Methods"] == "POST"
    allowed_headers = response.headers["Access-Control-Allow-Headers"]
    for name in ("Authorization", "Content-Type", "Idempotency-Key", "Accept-Language"):
        assert name in allowed_headers
    assert int(response.headers["Access-Control-Max-Age"]) > 0
    assert "Origin" in response.vary
    assert "Access-Control-Allow-Credentials" not in response.headers
    detail = preflight(client, f"/api/v1/stores/{slug}/addresses/1", A_SITE, "DELETE")
    assert detail.status_code == 204
    assert detail.headers["Access-Control-Allow-Methods"] == "DELETE, PATCH"


def test_an_origin_not_allowed_and_another_stores_origin_get_no_cors_headers(client, allowed):
    slug = allowed.a.tenant.slug
    for origin in (STRANGER, B_SITE, "null", A_SITE + "/", A_SITE.upper()):
        for response in (
            client.get(f"/api/v1/stores/{slug}/products", headers={"Origin": origin}),
            client.post(f"/api/v1/stores/{slug}/carts", headers={"Origin": origin}),
        ):
            assert response.status_code in (200, 201)
            assert_no_cors(response)
            assert "Origin" in response.vary
        refused = preflight(client, f"/api/v1/stores/{slug}/carts", origin)
        assert refused.status_code == 204
        assert_no_cors(refused)
    own = client.get(f"/api/v1/stores/{allowed.b.tenant.slug}", headers={"Origin": B_SITE})
    assert own.status_code == 200, own.get_data(as_text=True)
    assert own.headers["Access-Control-Allow-Origin"] == B_SITE


def test_refusals_carry_the_headers_so_the_front_end_can_read_them(client, allowed):
    a = allowed.a.tenant
    token = shopper_token(client, a, allowed.a.shopper)
    unknown = client.get(f"/api/v1/stores/{a.slug}/orders", headers={"Origin": A_SITE})
    assert unknown.status_code == 401
    assert unknown.headers["Access-Control-Allow-Origin"] == A_SITE
    assert "WWW-Authenticate" in unknown.headers["Access-Control-Expose-Headers"]
    elsewhere = client.get(
        f"/api/v1/stores/{allowed.b.tenant.slug}/orders",
        headers={"Origin": A_SITE, **bearer(token)},
    )
    assert elsewhere.status_code == 401
    assert_no_cors(elsewhere)  # store A's origin reads nothing of store B, even its refusals


def test_a_closed_store_still_answers_its_origins(client, allowed):
    a = allowed.a.tenant
    a.active = False
    db.session.flush()
    url = f"/api/v1/stores/{a.slug}/products"
    response = client.get(url, headers={"Origin": A_SITE})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "store_unavailable"
    assert response.headers["Access-Control-Allow-Origin"] == A_SITE
    answered = preflight(client, url, A_SITE, "GET")
    assert answered.status_code == 204
    assert answered.headers["Access-Control-Allow-Origin"] == A_SITE


def test_a_preflight_for_an_unknown_store_is_404_without_cors(client, allowed):
    response = preflight(client, "/api/v1/stores/no-such-store/carts", A_SITE)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
    assert_no_cors(response)


def test_preflights_spend_no_requests(client, allowed, limits):  # noqa: F811
    slug = allowed.a.tenant.slug
    for _ in range(10):
        assert preflight(client, f"/api/v1/stores/{slug}/carts", A_SITE).status_code == 204
    response = client.get(f"/api/v1/stores/{slug}/products", headers={"Origin": A_SITE})
    assert response.status_code == 200  # the limit is 3: the preflights were not counted
    for _ in range(3):
        response = client.get(f"/api/v1/stores/{slug}/products", headers={"Origin": A_SITE})
    assert response.status_code == 429
    assert response.headers["Access-Control-Allow-Origin"] == A_SITE  # Retry-After readable
    assert "Retry-After" in response.headers["Access-Control-Expose-Headers"]


def test_a_removed_origin_is_refused_at_once(client, allowed):
    a = allowed.a.tenant
    url = f"/api/v1/stores/{a.slug}/products"
    assert client.get(url, headers={"Origin": A_SITE}).headers["Access-Control-Allow-Origin"]
    with tenant_context(a.id):
        db.session.execute(delete(EmbedOrigin).where(EmbedOrigin.origin == A_SITE))
    assert_no_cors(client.get(url, headers={"Origin": A_SITE}))


def test_the_openapi_document_is_readable_from_any_origin_and_names_no_preflight(client):
    response = client.get("/api/v1/openapi.json", headers={"Origin": STRANGER})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert_no_cors(client.get("/api/v1/docs", headers={"Origin": STRANGER}))
    methods = {method for item in spec.spec["paths"].values() for method in item}
    assert "options" not in methods  # preflights are the browser's business, not operations
