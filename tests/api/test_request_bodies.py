"""Hostile JSON bodies are refused with a coded 4xx, never a 500 (found by the contract test)."""


def test_a_nul_in_a_body_is_refused_with_its_field(client, tenants):
    url = f"/api/v1/stores/{tenants.a.tenant.slug}/auth/sign-up"
    body = {"name": "李\x00四", "email": "li@example.com", "password": "a long passphrase 42"}
    response = client.post(url, json=body)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "invalid_request" and set(error["fields"]) == {"name"}


def test_a_nul_deep_in_a_body_or_in_a_key_is_named(client, tenants):
    url = f"/api/v1/stores/{tenants.a.tenant.slug}/auth/token"
    for body, where in (({"email": ["x", {"y": "\x00"}]}, "email.1.y"), ({"a\x00": 1}, "a\x00")):
        response = client.post(url, json=body)
        assert response.status_code == 422
        assert where in response.get_json()["error"]["fields"]


def test_a_body_nested_beyond_the_parser_is_invalid_json(client, tenants):
    url = f"/api/v1/stores/{tenants.a.tenant.slug}/auth/token"
    deep = "[" * 20_000 + "]" * 20_000
    response = client.post(url, data=deep, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_request"
