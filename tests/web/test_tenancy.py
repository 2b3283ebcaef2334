"""The central tenant filter: fail closed, stamp on insert, cross only in system_context."""

import pytest
from sqlalchemy import func, select, update

from storefront.extensions import db
from storefront.models import Product, Supplier, Tenant
from storefront.tenancy import CrossTenantWrite, TenantNotSet, system_context, tenant_context


def test_a_tenant_query_without_a_tenant_is_refused(tenants):
    with pytest.raises(TenantNotSet):
        db.session.scalars(select(Product)).all()


def test_queries_see_only_the_current_tenant(tenants):
    with tenant_context(tenants.a.tenant.id):
        products = db.session.scalars(select(Product)).all()
        assert {p.tenant_id for p in products} == {tenants.a.tenant.id}
        assert db.session.get(Product, tenants.b.product.id) is None or (
            # the identity map may hold B's row from the factory; a fresh lookup may not
            db.session.scalar(select(Product).where(Product.id == tenants.b.product.id)) is None
        )
        assert db.session.scalar(select(Product).where(Product.id == tenants.b.product.id)) is None


def test_joins_and_aggregates_are_filtered_too(tenants):
    with tenant_context(tenants.a.tenant.id):
        count = db.session.scalar(select(func.count()).select_from(Product).join(Supplier))
        assert count == 2


def test_bulk_updates_touch_only_the_current_tenant(tenants):
    with tenant_context(tenants.a.tenant.id):
        db.session.execute(update(Product).values(stock=7))
    db.session.expire_all()
    with system_context():
        stocks = dict(
            db.session.execute(
                select(Product.tenant_id, func.max(Product.stock)).group_by(Product.tenant_id)
            ).all()
        )
    assert stocks[tenants.a.tenant.id] == 7
    assert stocks[tenants.b.tenant.id] == 100


def test_new_rows_are_stamped_with_the_current_tenant(tenants):
    with tenant_context(tenants.a.tenant.id):
        supplier = Supplier(name="Stamped")
        db.session.add(supplier)
        db.session.flush()
    assert supplier.tenant_id == tenants.a.tenant.id


def test_a_row_of_another_tenant_cannot_be_written(tenants):
    with tenant_context(tenants.a.tenant.id):
        db.session.add(Supplier(name="Smuggled", tenant_id=tenants.b.tenant.id))
        with pytest.raises(CrossTenantWrite):
            db.session.flush()
    db.session.rollback()


def test_system_context_crosses_tenants_explicitly(tenants):
    with system_context():
        tenant_ids = set(db.session.scalars(select(Product.tenant_id)))
    assert {tenants.a.tenant.id, tenants.b.tenant.id} <= tenant_ids


def test_platform_tables_need_no_tenant(tenants):
    assert db.session.scalar(select(func.count()).select_from(Tenant)) >= 2
