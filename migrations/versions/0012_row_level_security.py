"""row-level security on every tenant table: the second wall behind the ORM filter

Each transaction tells PostgreSQL its tenant (storefront.tenancy sets kuajing.tenant_id, or
kuajing.system for system_context()); the policy shows and accepts only that tenant's rows.
FORCE applies it to the tables' owner too; only superusers bypass it, so the application
must not connect as one. SQLite (the demo) has no row-level security: the ORM wall only.

Revision ID: 0012
Revises: 0011

"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

RULE = (
    "current_setting('kuajing.system', true) = 'on' "
    "OR tenant_id = NULLIF(current_setting('kuajing.tenant_id', true), '')::integer"
)


# The quota ledger names the tenant of each movement but is read across tenants on purpose:
# customs counts a person's limits platform-wide (SPEC §3).
PLATFORM_WIDE = {'quota_movements'}


def tenant_tables(bind) -> list[str]:
    names = bind.execute(sa.text(
        "SELECT table_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND column_name = 'tenant_id' ORDER BY table_name"
    )).scalars()
    return [name for name in names if name not in PLATFORM_WIDE]


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql':
        return
    for table in tenant_tables(bind):
        op.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
        op.execute(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')
        op.execute(
            f'CREATE POLICY tenant_isolation ON "{table}" USING ({RULE}) WITH CHECK ({RULE})'
        )


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql':
        return
    for table in tenant_tables(bind):
        op.execute(f'DROP POLICY IF EXISTS tenant_isolation ON "{table}"')
        op.execute(f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY')
        op.execute(f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY')
