"""Two walls between tenants, each proven on its own.

The ORM wall refuses raw SQL text and Core inserts naming tenant tables outside
system_context(). Behind it, PostgreSQL row-level security: SQL that reaches the database
without the ORM (a plain connection) sees and writes only the tenant in context.
"""

import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.exc import ProgrammingError

from storefront.extensions import db
from storefront.models import Order, Supplier
from storefront.tenancy import UnscopedStatement, _tenant_tables, system_context, tenant_context


def test_the_orm_refuses_raw_sql_on_tenant_tables_outside_system_context(tenants):
    with tenant_context(tenants.a.tenant.id), pytest.raises(UnscopedStatement):
        db.session.execute(text("SELECT count(*) FROM orders"))
    with system_context():
        assert db.session.execute(text("SELECT count(*) FROM orders")).scalar() == 2
    assert db.session.execute(text("SELECT 1")).scalar() == 1  # no tenant table named


def test_the_orm_refuses_core_inserts_into_tenant_tables(tenants):
    a, b = tenants.a, tenants.b
    with tenant_context(a.tenant.id), pytest.raises(UnscopedStatement):
        db.session.execute(insert(Supplier).values(tenant_id=b.tenant.id, name="smuggled"))


def _raw(sql: str, **params):
    """Run SQL on the session's connection, past the ORM's hooks."""
    return db.session.connection().exec_driver_sql(sql, tuple(params.values()) or ())


def test_row_level_security_shows_only_the_tenant_in_context(tenants):
    a, b = tenants.a, tenants.b
    assert _raw("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").scalar() is False
    with tenant_context(a.tenant.id):
        seen = _raw("SELECT id FROM orders").scalars().all()
        assert seen == [a.order.id]
        assert _raw("SELECT count(*) FROM orders WHERE id = %s", id=b.order.id).scalar() == 0
    assert _raw("SELECT count(*) FROM orders").scalar() == 0  # no tenant: nothing
    with system_context():
        assert _raw("SELECT count(*) FROM orders").scalar() == 2


def test_row_level_security_refuses_a_row_of_another_tenant(tenants):
    a, b = tenants.a, tenants.b
    refused = pytest.raises(ProgrammingError, match="row-level")
    with tenant_context(a.tenant.id), refused, db.session.begin_nested():
        _raw(
            "INSERT INTO suppliers (tenant_id, name, freight) VALUES (%s, 'x', 0)",
            tenant=b.tenant.id,
        )


def test_every_tenant_table_has_the_policy(tenants):
    tenant_tables = {table.name for table in _tenant_tables()}
    protected = set(
        _raw(
            "SELECT c.relname FROM pg_class c JOIN pg_policy p ON p.polrelid = c.oid "
            "WHERE p.polname = 'tenant_isolation' AND c.relrowsecurity AND c.relforcerowsecurity"
        ).scalars()
    )
    assert tenant_tables - protected == set()


def test_the_orm_still_reads_its_tenant_through_both_walls(tenants):
    with tenant_context(tenants.b.tenant.id):
        assert db.session.scalars(select(Order.id)).all() == [tenants.b.order.id]
