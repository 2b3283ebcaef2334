"""the origins allowed to embed a store

The new tenant table gets the same row-level security policy as the others (0012).

Revision ID: 0023
Revises: 0022

"""
from alembic import op
import sqlalchemy as sa


revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None

RULE = (  # as in 0012
    "current_setting('kuajing.system', true) = 'on' "
    "OR tenant_id = NULLIF(current_setting('kuajing.tenant_id', true), '')::integer"
)


def upgrade():
    op.create_table('embed_origins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('origin', sa.String(length=200), nullable=False),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('tenant_id', 'origin', name='uq_embed_origins_origin')
    )
    with op.batch_alter_table('embed_origins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_embed_origins_tenant_id'), ['tenant_id'], unique=False)

    if op.get_bind().dialect.name == 'postgresql':
        for table in ('embed_origins',):
            op.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
            op.execute(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')
            op.execute(
                f'CREATE POLICY tenant_isolation ON "{table}" USING ({RULE}) WITH CHECK ({RULE})'
            )


def downgrade():
    with op.batch_alter_table('embed_origins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_embed_origins_tenant_id'))

    op.drop_table('embed_origins')
