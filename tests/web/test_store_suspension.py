"""The operator suspends and reopens a store: closed storefront, no orders, read-only console."""

import pytest
from sqlalchemy import select

from storefront.domain.errors import ErrorCode
from storefront.extensions import db
from storefront.models import Payment, Tenant, TenantStatusEvent
from storefront.services import suspension
from storefront.services.checkout import CheckoutRefused
from storefront.tenancy import system_context, tenant_context
from tests.services.test_checkout import place
from tests.services.test_checkout import store as store  # the fixture
from tests.web.helpers import login_operator, login_staff
from tests.web.test_checkout_flow import confirm, placed_with_payment
from tests.web.test_isolation import _url

EN = {"Accept-Language": "en"}


def _suspend(tenants, reason: str = "营业执照过期") -> None:
    with system_context():
        suspension.suspend(tenants.a.tenant.id, reason, tenants.operator)


def _suspended_at(tenant_id: int):
    db.session.expire_all()
    return db.session.scalar(select(Tenant.suspended_at).where(Tenant.id == tenant_id))


def test_the_operator_confirms_with_a_reason_and_the_history_shows_it(client, tenants):
    a = tenants.a.tenant
    login_operator(client, tenants.operator)
    assert f"/platform/stores/{a.id}" in client.get("/platform/").get_data(as_text=True)
    confirm_page = client.get(f"/platform/stores/{a.id}/suspend").get_data(as_text=True)
    assert "不接受新订单" in confirm_page and _suspended_at(a.id) is None  # asked, not done
    refused = client.post(f"/platform/stores/{a.id}/suspend", data={"reason": " "})
    assert refused.status_code == 200 and _suspended_at(a.id) is None
    client.post(f"/platform/stores/{a.id}/suspend", data={"reason": "营业执照过期"})
    assert _suspended_at(a.id) is not None
    client.post(f"/platform/stores/{a.id}/reinstate", data={"reason": "已补交执照"})
    assert _suspended_at(a.id) is None
    page = client.get(f"/platform/stores/{a.id}").get_data(as_text=True)
    assert "营业执照过期" in page and "已补交执照" in page and tenants.operator.name in page
    with tenant_context(a.id):
        events = db.session.scalars(select(TenantStatusEvent).order_by(TenantStatusEvent.id))
        assert [(e.action, e.operator_id) for e in events] == [
            ("suspended", tenants.operator.id),
            ("reinstated", tenants.operator.id),
        ]


def test_every_storefront_page_of_a_suspended_store_is_closed(app, client, tenants):
    _suspend(tenants)
    shop, pages = tenants.a, 0
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("shop.") or "GET" not in rule.methods:
            continue
        url = _url(app, rule, shop, shop.tenant.slug)
        response = client.get(url)
        assert response.status_code == 503, f"GET {url}: {response.status_code}"
        assert "本店铺暂停营业" in response.get_data(as_text=True)
        pages += 1
    assert pages > 10
    english = client.get(f"/s/{shop.tenant.slug}/", headers=EN).get_data(as_text=True)
    assert "This store is closed for now" in english
    as_json = client.get(f"/s/{shop.tenant.slug}/", headers={"Accept": "application/json"})
    assert as_json.get_json()["error"]["code"] == ErrorCode.STORE_SUSPENDED
    assert client.get(f"/s/{tenants.b.tenant.slug}/").status_code == 200  # the other store


def test_the_checkout_service_refuses_a_suspended_store(store, tenants):
    a = store["a"]
    with tenant_context(a.tenant.id):
        suspension.suspend(a.tenant.id, "抽查", tenants.operator)
        with pytest.raises(CheckoutRefused) as refused:
            place(store, {store["p1980"].id: 1})
        assert refused.value.code == ErrorCode.STORE_SUSPENDED
        suspension.reinstate(a.tenant.id, "抽查结束", tenants.operator)
        assert place(store, {store["p1980"].id: 1}).orders


def test_staff_sign_in_to_a_read_only_console_with_a_notice(client, tenants):
    _suspend(tenants)
    login_staff(client, tenants.a.owner)
    dashboard = client.get("/admin/").get_data(as_text=True)
    assert "平台已暂停本店铺" in dashboard
    assert client.get("/admin/orders").status_code == 200
    refused = client.post("/admin/suppliers/new", data={"name": "X", "freight": "1"})
    assert refused.status_code == 403 and "仅可查看" in refused.get_data(as_text=True)
    assert client.post("/admin/logout").status_code == 302  # signing out still works


def test_payments_of_orders_placed_before_still_apply(client, tenants):
    a = tenants.a
    _order, payment = placed_with_payment(client, a)
    _suspend(tenants)
    confirm(client, payment, "evt_paid_while_suspended")
    with tenant_context(a.tenant.id):
        db.session.expire_all()
        paid = db.session.scalar(select(Payment).where(Payment.id == payment.id))
        assert paid.status == "succeeded"
