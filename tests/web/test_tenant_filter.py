"""The ORM wall on its own: the tenant criteria, built once per tenant, still filter every read.

PostgreSQL is told the system setting here (as for a reload of a held object), so row-level
security shows every tenant's rows and only the ORM's criteria stand between them.
"""

import pytest
from sqlalchemy import func, select

from storefront.extensions import db
from storefront.models import Order, Product, Supplier
from storefront.tenancy import _HELD_OBJECT, TenantNotSet, system_context, tenant_context

_PAST_RLS = {_HELD_OBJECT: True}


def _ids(statement) -> set[int]:
    return set(db.session.scalars(statement.execution_options(**_PAST_RLS)))


def test_the_orm_criteria_alone_keep_each_tenant_to_its_rows(tenants):
    a, b = tenants.a, tenants.b
    with system_context():  # both tenants' rows are there to be seen
        assert {a.order.id, b.order.id} <= set(db.session.scalars(select(Order.id)))
    for store, other in ((a, b), (b, a), (a, b)):  # each tenant's criteria, reused
        with tenant_context(store.tenant.id):
            assert _ids(select(Order.id)) == {store.order.id}
            assert other.product.id not in _ids(select(Product.id))
            joined = select(Product.id).join(Supplier, Product.supplier_id == Supplier.id)
            assert other.product.id not in _ids(joined)
            counted = select(func.count()).select_from(Order)
            assert db.session.scalar(counted.execution_options(**_PAST_RLS)) == 1


def test_a_statement_built_once_is_filtered_for_each_tenant_that_runs_it(tenants):
    a, b = tenants.a, tenants.b
    kept = select(Product.id).where(Product.id.in_([a.product.id, b.product.id]))
    kept = kept.execution_options(**_PAST_RLS)
    for store in (a, b, a, b):  # each tenant's filtered copy of it, kept and reused
        with tenant_context(store.tenant.id):
            assert set(db.session.scalars(kept)) == {store.product.id}


def test_a_tenant_read_without_a_tenant_is_refused_each_time(tenants):
    statement = select(func.count()).select_from(Order)  # no entity: found by its tables
    for _ in range(2):  # the second time from what the first one found
        with pytest.raises(TenantNotSet):
            db.session.execute(statement)
