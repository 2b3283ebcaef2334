"""The API's framework: one error shape, tenancy from the path, credentials, documents."""

from tests.api.helpers import api_key, bearer, shopper_token
from tests.web.helpers import login_shopper


def test_store_info_names_the_store_and_its_limits(client, tenants):
    a = tenants.a.tenant
    response = client.get(f"/api/v1/stores/{a.slug}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["slug"] == a.slug and body["currency"] == "CNY"
    assert body["limits"]["code"] == "seed"
    assert body["limits"]["order_limit"] == "2000.00"


def test_an_unknown_store_and_path_answer_404_in_the_error_shape(client, tenants):
    for url in ("/api/v1/stores/no-such-store", "/api/v1/nothing-here"):
        response = client.get(url, headers={"Accept-Language": "en"})
        assert response.status_code == 404
        assert response.mimetype == "application/json"
        error = response.get_json()["error"]
        assert error["code"] == "not_found" and error["message"] and error["fields"] == {}


def test_messages_follow_accept_language(client, tenants):
    url = "/api/v1/stores/no-such-store"
    english = client.get(url, headers={"Accept-Language": "en"}).get_json()["error"]["message"]
    chinese = client.get(url, headers={"Accept-Language": "zh-CN"}).get_json()["error"]["message"]
    assert english != chinese
    assert any("\u4e00" <= char <= "\u9fff" for char in chinese)


def test_a_closed_store_answers_store_unavailable(client, tenants):
    tenants.b.tenant.active = False
    response = client.get(f"/api/v1/stores/{tenants.b.tenant.slug}/products")
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "store_unavailable"


def test_wrong_method_is_405_json_with_allow(client, tenants):
    response = client.put(f"/api/v1/stores/{tenants.a.tenant.slug}")
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]


def test_a_token_of_store_a_is_unknown_at_store_b(client, tenants):
    token = shopper_token(client, tenants.a.tenant, tenants.a.shopper)
    own = client.get(f"/api/v1/stores/{tenants.a.tenant.slug}/products", headers=bearer(token))
    assert own.status_code == 200
    other = client.get(f"/api/v1/stores/{tenants.b.tenant.slug}/products", headers=bearer(token))
    assert other.status_code == 401
    assert other.get_json()["error"]["code"] == "unauthorized"
    assert other.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_malformed_credential_is_refused_even_where_anonymous_calls_are_fine(client, tenants):
    url = f"/api/v1/stores/{tenants.a.tenant.slug}"
    for header in ("Basic abc", "Bearer ", "Bearer kjt_forged", "Bearer kjk_forged"):
        response = client.get(url, headers={"Authorization": header})
        assert response.status_code == 401, header


def test_a_read_key_reads_the_catalog_and_cannot_post(client, tenants):
    slug = tenants.a.tenant.slug
    read = bearer(api_key(tenants.a.tenant, "read"))
    assert client.get(f"/api/v1/stores/{slug}/products", headers=read).status_code == 200
    refused = client.post(f"/api/v1/stores/{slug}/carts", headers=read)
    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == "forbidden"
    write = bearer(api_key(tenants.a.tenant, "write"))
    assert client.post(f"/api/v1/stores/{slug}/carts", headers=write).status_code == 201


def test_a_key_is_not_a_shopper(client, tenants):
    slug = tenants.a.tenant.slug
    write = bearer(api_key(tenants.a.tenant, "write"))
    response = client.delete(f"/api/v1/stores/{slug}/auth/token", headers=write)
    assert response.status_code == 403


def test_invalid_bodies_list_their_fields(client, tenants):
    url = f"/api/v1/stores/{tenants.a.tenant.slug}/auth/token"
    response = client.post(url, json={"email": "not-an-email"})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "invalid_request"
    assert set(error["fields"]) == {"email", "password"}
    assert client.post(url, data={"email": "x"}).status_code == 415
    garbled = client.post(url, data="{nope", content_type="application/json")
    assert garbled.status_code == 400
    extra = client.post(url, json={"email": "a@b.example", "password": "x", "admin": True})
    assert "admin" in extra.get_json()["error"]["fields"]


def test_a_huge_body_is_413(client, tenants):
    url = f"/api/v1/stores/{tenants.a.tenant.slug}/auth/token"
    response = client.post(url, data="x" * 200_000, content_type="application/json")
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "payload_too_large"


def test_the_document_is_openapi_3_1_with_both_security_schemes(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    assert set(document["components"]["securitySchemes"]) == {"shopperToken", "apiKey"}
    catalog = document["paths"]["/api/v1/stores/{store_slug}/products"]["get"]
    assert {"apiKey": ["read"]} in catalog["security"]
    cart = document["paths"]["/api/v1/stores/{store_slug}/carts"]["post"]
    assert {"apiKey": ["write"]} in cart["security"]


def test_the_reference_page_is_rendered_without_outside_scripts(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "/api/v1/stores/{store_slug}/products" in page
    assert "<script" not in page and "cdn" not in page.lower()


def test_no_kind_of_session_cookie_is_a_credential(client, tenants):
    from tests.web.helpers import login_operator, login_staff

    url = f"/api/v1/stores/{tenants.a.tenant.slug}/auth/token"
    for sign_in in (
        lambda: login_shopper(client, tenants.a.tenant, tenants.a.shopper),
        lambda: login_staff(client, tenants.a.owner),
        lambda: login_operator(client, tenants.operator),
    ):
        sign_in()
        assert client.delete(url).status_code == 401
