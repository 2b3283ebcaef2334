"""Two-tenant isolation: every console and storefront URL, with B's ids, as A's user.

Routes are discovered from the URL map, so a new route is covered the day it is added; a
route argument with no known owner fails the suite until it is mapped in tests/support/routes.
"""

import pytest
from werkzeug.routing import Rule

from tests.support.routes import API_BODIES, PLAIN_ARGUMENTS, route_values
from tests.web.helpers import login_shopper, login_staff


def _rules(app, prefix: str) -> list[Rule]:
    return [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith(prefix)
        and set(rule.arguments) - set(PLAIN_ARGUMENTS) - {"store_slug"}
    ]


def _url(app, rule: Rule, b, slug: str | None) -> str:
    with app.test_request_context():
        return app.url_for(rule.endpoint, **route_values(rule, b, slug))


def _methods(rule: Rule) -> list[str]:
    return sorted(rule.methods & {"GET", "POST"})


def test_the_suite_sees_routes_to_walk(app):
    assert len(_rules(app, "console.")) >= 1
    assert len(_rules(app, "shop.")) >= 3


@pytest.mark.parametrize("area", ["console.", "shop."])
def test_a_user_of_tenant_a_gets_404_for_every_object_of_tenant_b(app, client, tenants, area):
    a, b = tenants.a, tenants.b
    if area == "console.":
        login_staff(client, a.owner)
    else:
        login_shopper(client, a.tenant, a.shopper)
    checked = []
    for rule in _rules(app, area):
        url = _url(app, rule, b, a.tenant.slug)
        for method in _methods(rule):
            response = client.open(url, method=method, data={})
            assert response.status_code == 404, f"{method} {url} gave {response.status_code}"
            checked.append(url)
    assert checked


def test_console_lists_show_only_the_signed_in_tenant(client, tenants):
    login_staff(client, tenants.a.owner)
    for page in (
        "/admin/products",
        "/admin/suppliers",
        "/admin/staff",
        "/admin/",
        "/admin/orders",
        "/admin/orders/export.csv",
        "/admin/tax-templates",
    ):
        body = client.get(page).get_data(as_text=True)
        assert tenants.b.product.name not in body
        assert tenants.b.supplier.name not in body
        assert tenants.b.owner.email not in body
        assert tenants.b.order.number not in body


def test_a_shopper_session_does_not_cross_stores(client, tenants):
    login_shopper(client, tenants.a.tenant, tenants.a.shopper)
    response = client.get(f"/s/{tenants.b.tenant.slug}/account")
    assert response.status_code == 302  # not signed in at store B
    assert "/login" in response.headers["Location"]


def test_staff_cannot_reach_the_platform_console(client, tenants):
    login_staff(client, tenants.a.owner)
    assert client.get("/platform/").status_code == 302


def test_a_token_of_store_a_gets_404_for_every_api_object_of_store_b(app, client, tenants):
    """Every /api route with an object argument, with B's ids under A's store and A's token."""
    from tests.api.helpers import bearer, shopper_token

    a, b = tenants.a, tenants.b
    headers = bearer(shopper_token(client, a.tenant, a.shopper))
    # valid bodies, so that the look-up decides
    bodies = {"POST": {"quantity": 1, "product_id": b.product.id}, "PATCH": {"quantity": 1}}
    checked = []
    for rule in _rules(app, "api."):
        url = _url(app, rule, b, a.tenant.slug)
        for method in sorted(rule.methods & {"GET", "POST", "PATCH", "DELETE"}):
            body = API_BODIES[rule.endpoint](b) if rule.endpoint in API_BODIES else None
            response = client.open(
                url, method=method, headers=headers, json=body or bodies.get(method)
            )
            assert response.status_code == 404, f"{method} {url} gave {response.status_code}"
            checked.append(url)
    assert checked
