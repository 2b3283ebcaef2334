"""Credentials over every API route (found in the URL map, so new routes are covered): a read
key writes nothing, and a store's token or key is unknown at another store."""

import pytest

from tests.api.helpers import api_key, bearer, shopper_token
from tests.support.routes import route_values

WRITES = {"POST", "PATCH", "PUT", "DELETE"}


def _api_rules(app, methods=None):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/stores/"):
            for method in sorted(rule.methods & (methods or rule.methods) - {"HEAD", "OPTIONS"}):
                yield rule, method


def _call(client, app, rule, method, store, headers):
    with app.test_request_context():
        url = app.url_for(rule.endpoint, **route_values(rule, store))
    return client.open(url, method=method, headers=headers, json={})


def test_a_read_key_cannot_call_any_write(app, client, tenants):
    read = bearer(api_key(tenants.a.tenant, "read"))
    rules = list(_api_rules(app, WRITES))
    assert rules
    for rule, method in rules:
        response = _call(client, app, rule, method, tenants.a, read)
        assert response.status_code == 403, f"{method} {rule.rule}"
        assert response.get_json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize("kind", ["token", "key"])
def test_a_credential_of_store_a_is_unknown_at_store_b(app, client, tenants, kind):
    a = tenants.a
    secret = shopper_token(client, a.tenant, a.shopper) if kind == "token" else api_key(a.tenant)
    for rule, method in _api_rules(app):
        response = _call(client, app, rule, method, tenants.b, bearer(secret))
        assert response.status_code == 401, f"{method} {rule.rule}"
        assert response.get_json()["error"]["code"] == "unauthorized"
