"""refusals at checkout, counted by rule for the merchant's dashboard

Revision ID: 0025
Revises: 0024

"""
from alembic import op
import sqlalchemy as sa


revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

RULE = (  # as in 0012
    "current_setting('kuajing.system', true) = 'on' "
    "OR tenant_id = NULLIF(current_setting('kuajing.tenant_id', true), '')::integer"
)


def upgrade():
    op.create_table('checkout_refusals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=24), nullable=False),
    sa.Column('rule', sa.String(length=32), nullable=False),
    sa.Column('limit', sa.Numeric(precision=14, scale=2, asdecimal=True), nullable=True),
    sa.Column('amount', sa.Numeric(precision=14, scale=2, asdecimal=True), nullable=True),
    sa.Column('refused_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_checkout_refusals_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkout_refusals'))
    )
    with op.batch_alter_table('checkout_refusals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checkout_refusals_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_checkout_refusals_tenant_refused_at', ['tenant_id', 'refused_at'], unique=False)

    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE "checkout_refusals" ENABLE ROW LEVEL SECURITY')
        op.execute('ALTER TABLE "checkout_refusals" FORCE ROW LEVEL SECURITY')
        op.execute(
            f'CREATE POLICY tenant_isolation ON "checkout_refusals" USING ({RULE}) WITH CHECK ({RULE})'
        )


def downgrade():
    with op.batch_alter_table('checkout_refusals', schema=None) as batch_op:
        batch_op.drop_index('ix_checkout_refusals_tenant_refused_at')
        batch_op.drop_index(batch_op.f('ix_checkout_refusals_tenant_id'))

    op.drop_table('checkout_refusals')
