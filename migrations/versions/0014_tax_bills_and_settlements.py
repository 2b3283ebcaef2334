"""customs tax bills and the payment provider's settlement records

Revision ID: 0014
Revises: 0013

"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

RULE = (  # as in 0012
    "current_setting('kuajing.system', true) = 'on' "
    "OR tenant_id = NULLIF(current_setting('kuajing.tenant_id', true), '')::integer"
)


def upgrade():
    op.create_table('customs_tax_bills',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('declaration_id', sa.Integer(), nullable=False),
    sa.Column('invt_no', sa.String(length=18), nullable=False),
    sa.Column('tax_no', sa.String(length=50), nullable=False),
    sa.Column('customs_tax', sa.Numeric(precision=19, scale=5), nullable=False),
    sa.Column('value_added_tax', sa.Numeric(precision=19, scale=5), nullable=False),
    sa.Column('consumption_tax', sa.Numeric(precision=19, scale=5), nullable=False),
    sa.Column('status', sa.String(length=1), nullable=False),
    sa.Column('return_time', sa.String(length=17), nullable=False),
    sa.Column('ent_duty_no', sa.String(length=50), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['declaration_id'], ['customs_declarations.id'], name=op.f('fk_customs_tax_bills_declaration_id_customs_declarations')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_customs_tax_bills_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customs_tax_bills')),
    sa.UniqueConstraint('tenant_id', 'tax_no', 'status', 'return_time', name='uq_customs_tax_bills_once')
    )
    with op.batch_alter_table('customs_tax_bills', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customs_tax_bills_declaration_id'), ['declaration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_customs_tax_bills_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('provider_settlements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider', sa.String(length=20), nullable=False),
    sa.Column('account_tenant_id', sa.Integer(), nullable=True),
    sa.Column('transaction_id', sa.String(length=80), nullable=False),
    sa.Column('type', sa.String(length=40), nullable=False),
    sa.Column('source', sa.String(length=80), nullable=True),
    sa.Column('payment_reference', sa.String(length=80), nullable=True),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('fee', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('net', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('available_on', sa.DateTime(timezone=True), nullable=True),
    sa.Column('payout_id', sa.String(length=80), nullable=True),
    sa.Column('fetched_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_tenant_id'], ['tenants.id'], name=op.f('fk_provider_settlements_account_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_provider_settlements')),
    sa.UniqueConstraint('transaction_id', name=op.f('uq_provider_settlements_transaction_id'))
    )
    with op.batch_alter_table('provider_settlements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_provider_settlements_account_tenant_id'), ['account_tenant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_provider_settlements_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_provider_settlements_payment_reference'), ['payment_reference'], unique=False)

    # provider_settlements is the platform's (no tenant_id, like provider_events): no policy.
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE "customs_tax_bills" ENABLE ROW LEVEL SECURITY')
        op.execute('ALTER TABLE "customs_tax_bills" FORCE ROW LEVEL SECURITY')
        op.execute(
            f'CREATE POLICY tenant_isolation ON "customs_tax_bills" USING ({RULE}) WITH CHECK ({RULE})'
        )


def downgrade():
    with op.batch_alter_table('provider_settlements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_provider_settlements_payment_reference'))
        batch_op.drop_index(batch_op.f('ix_provider_settlements_created_at'))
        batch_op.drop_index(batch_op.f('ix_provider_settlements_account_tenant_id'))

    op.drop_table('provider_settlements')
    with op.batch_alter_table('customs_tax_bills', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customs_tax_bills_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_customs_tax_bills_declaration_id'))

    op.drop_table('customs_tax_bills')
