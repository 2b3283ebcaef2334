"""A store approved from an application opens when its owner says so, after its checklist."""

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from storefront.domain.errors import ErrorCode, Refused
from storefront.domain.reviews import ReviewAction
from storefront.extensions import db
from storefront.models import StaffUser, Tenant
from storefront.queries import opening
from storefront.services import reviews, store_opening, suspension
from storefront.services.applications import KIND
from storefront.tenancy import system_context, tenant_context
from tests.support import applications as support
from tests.support import factories, invoices
from tests.web.helpers import login_staff


@pytest.fixture
def new_store(app, session):
    """A store just approved from an application: not open, nothing set up."""
    _person, application = support.submitted("haitao-mall")
    with app.test_request_context():
        reviews.decide(KIND, application.id, ReviewAction.APPROVE, "", "op", 1)
    with system_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "haitao-mall"))
        owner = db.session.scalar(select(StaffUser).where(StaffUser.tenant_id == tenant.id))
    return SimpleNamespace(tenant=tenant, owner=owner)


def _set_everything_up(store) -> None:
    with tenant_context(store.tenant.id):
        supplier = factories.supplier()
        product = factories.product(supplier, "800.00", factories.template(), "cross_border_retail")
        other = factories.product(supplier, "88.00")
    shaped = SimpleNamespace(tenant=store.tenant, product=product, non_tax_product=other)
    invoices.set_up(shaped)  # the invoice issuer, approved, and the e-invoice provider
    with tenant_context(store.tenant.id):
        for item in ("payment", "customs", "warehouse"):
            store_opening.choose_platform_default(item, "owner")


def test_shoppers_see_opening_soon_and_cannot_order(client, new_store):
    response = client.get("/s/haitao-mall/")
    assert response.status_code == 503
    assert "即将开业" in response.get_data(as_text=True)
    api = client.get("/api/v1/stores/haitao-mall/products")
    assert api.status_code == 403
    with pytest.raises(Refused) as refused:
        suspension.refuse_if_suspended(new_store.tenant.id)
    assert refused.value.code == ErrorCode.STORE_NOT_OPEN


def test_the_owner_sees_the_empty_checklist_first(client, new_store):
    login_staff(client, new_store.owner)
    body = client.get("/admin/").get_data(as_text=True)
    assert 'id="opening-checklist"' in body
    assert body.count('data-done="no"') == 8
    assert "/admin/filings" in body and "/admin/invoice-settings" in body


def test_the_store_opens_only_once_every_item_is_done(client, new_store):
    login_staff(client, new_store.owner)
    response = client.post("/admin/opening/open")
    assert response.status_code == 302
    with tenant_context(new_store.tenant.id), pytest.raises(Refused) as refused:
        store_opening.open_store("owner")
    assert refused.value.code == ErrorCode.OPENING_INCOMPLETE
    assert db.session.get(Tenant, new_store.tenant.id).opened_at is None
    _set_everything_up(new_store)
    with tenant_context(new_store.tenant.id):
        assert opening.missing(opening.checklist()) == []
    assert client.post("/admin/opening/open").status_code == 302
    assert db.session.get(Tenant, new_store.tenant.id).opened_at is not None
    assert client.get("/s/haitao-mall/").status_code == 200
    assert 'id="opening-checklist"' not in client.get("/admin/").get_data(as_text=True)


def test_a_platform_default_is_chosen_only_where_one_is_offered(app, new_store, monkeypatch):
    monkeypatch.setitem(app.config, "STRIPE_SECRET_KEY", None)  # no platform payment account
    with tenant_context(new_store.tenant.id):
        with pytest.raises(Refused):
            store_opening.choose_platform_default("payment", "owner")
        store_opening.choose_platform_default("warehouse", "owner")
        store_opening.choose_platform_default("warehouse", "owner")  # twice: one choice
        done = {item.key: item.done for item in opening.checklist()}
    assert done["warehouse"] and not done["payment"]


def test_staff_without_the_permission_cannot_open(client, new_store):
    with tenant_context(new_store.tenant.id):
        clerk = factories.staff(role="staff")
    login_staff(client, clerk)
    assert client.post("/admin/opening/open").status_code == 403


def test_existing_stores_are_open(tenants):
    assert tenants.a.tenant.opened_at is not None
