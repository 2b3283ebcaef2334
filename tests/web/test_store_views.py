"""The store a request is for is read with every request: a merchant's or the operator's
change is seen by the next request, and nothing one store's requests keep serves another."""

import re
from decimal import Decimal as D

import pytest
from sqlalchemy import update
from sqlalchemy.orm.exc import UnmappedInstanceError

from storefront.extensions import db
from storefront.models import LimitPolicyRow, Product, TaxTemplate, Tenant
from storefront.queries.stores import StoreView, active_store
from storefront.services.notifications import notify
from storefront.tenancy import system_context, tenant_context
from tests.web.helpers import login_shopper


def quote(client, store) -> dict:
    response = client.get(f"/s/{store.tenant.slug}/cart/quote.json")
    assert response.status_code == 200
    return response.get_json()


@pytest.fixture
def a(client, tenants):
    """Store A's shopper signed in, one unit of the tax product in the cart, quoted once."""
    a = tenants.a
    login_shopper(client, a.tenant, a.shopper)
    path = f"/s/{a.tenant.slug}/cart/items"
    client.post(path, data={"product_id": a.product.id, "quantity": 1})
    quote(client, a)  # the process now keeps store A's view
    return a


def changed(statement) -> None:
    """Commit a change as a merchant or the operator would (in the test's savepoint)."""
    with system_context():
        db.session.execute(statement)
        db.session.commit()


def test_a_new_limit_policy_of_the_store_is_seen_by_the_next_request(client, a):
    before = D(quote(client, a)["annual_remaining"])
    changed(update(Tenant).where(Tenant.id == a.tenant.id).values(limit_policy_code="cn-2019"))
    after = D(quote(client, a)["annual_remaining"])
    assert after - before == D("6000.00")  # 26,000 a year instead of 20,000


def test_a_changed_policy_row_is_seen_by_the_next_request(client, a):
    before = D(quote(client, a)["annual_remaining"])
    policy = a.tenant.limit_policy_code
    limit, rows = LimitPolicyRow.annual_limit, update(LimitPolicyRow)
    changed(rows.where(LimitPolicyRow.code == policy).values(annual_limit=limit + 1))
    assert D(quote(client, a)["annual_remaining"]) == before + 1


def test_a_new_price_and_a_new_tax_rate_are_seen_by_the_next_request(client, a):
    first = quote(client, a)["orders"][0]
    with tenant_context(a.tenant.id):
        changed(update(Product).where(Product.id == a.product.id).values(price=D("900.00")))
        assert quote(client, a)["orders"][0]["goods_total"] == "900.00"
        template = update(TaxTemplate).where(TaxTemplate.id == a.template.id)
        changed(template.values(vat_rate=D("13")))
    assert quote(client, a)["orders"][0]["tax_due"] != first["tax_due"]


def test_a_closed_store_is_not_found_at_the_next_request(client, a):
    changed(update(Tenant).where(Tenant.id == a.tenant.id).values(active=False))
    assert client.get(f"/s/{a.tenant.slug}/cart/quote.json").status_code == 404


def test_each_store_is_served_its_own_row_and_policy(app, client, tenants, a):
    b = tenants.b
    changed(update(Tenant).where(Tenant.id == b.tenant.id).values(limit_policy_code="cn-2019"))
    for _ in range(2):  # alternating, each from the process's views
        page_a = client.get(f"/s/{a.tenant.slug}/").get_data(as_text=True)
        page_b = client.get(f"/s/{b.tenant.slug}/").get_data(as_text=True)
        assert a.tenant.name in page_a and b.tenant.name not in page_a
        assert b.tenant.name in page_b and a.tenant.name not in page_b
    with app.test_request_context():
        view_a, view_b = active_store(a.tenant.slug), active_store(b.tenant.slug)
    assert (view_a.id, view_a.policy.code) == (a.tenant.id, "seed")
    assert (view_b.id, view_b.policy.code) == (b.tenant.id, "cn-2019")


def test_a_store_view_cannot_be_changed_or_written_back(app, tenants):
    with app.test_request_context():
        view = active_store(tenants.a.tenant.slug)
    assert isinstance(view, StoreView)
    with pytest.raises(AttributeError):
        view.name = "another name"
    with pytest.raises(UnmappedInstanceError):  # no session takes it
        db.session.add(view)


def unread_badge(client, store) -> str | None:
    page = client.get(f"/s/{store.tenant.slug}/").get_data(as_text=True)
    found = re.search(r'class="badge unread-count">(\d+)<', page)
    return found[1] if found else None


def test_the_unread_count_read_with_the_shopper_follows_new_and_read_notifications(client, a):
    assert unread_badge(client, a) is None
    with tenant_context(a.tenant.id):
        for key in ("one", "two"):
            notify(a.shopper.id, key=key, kind="order_shipped")
        db.session.commit()
    assert unread_badge(client, a) == "2"
    page = client.post(f"/s/{a.tenant.slug}/notifications", follow_redirects=True)
    assert 'class="badge unread-count"' not in page.get_data(as_text=True)
    assert unread_badge(client, a) is None
