"""reconciliation runs, records and mismatches

The new tenant tables get the same row-level security policy as the others (0012); the
indexes let the run select a tenant's cleared declarations and paid orders and payments of a
period without scanning.

Revision ID: 0015
Revises: 0014

"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

TABLES = ('recon_runs', 'recon_records', 'recon_mismatches')
RULE = (  # as in 0012
    "current_setting('kuajing.system', true) = 'on' "
    "OR tenant_id = NULLIF(current_setting('kuajing.tenant_id', true), '')::integer"
)
INDEXES = (
    ('ix_customs_declarations_tenant_released', 'customs_declarations', ['tenant_id', 'released_at']),
    ('ix_orders_tenant_paid', 'orders', ['tenant_id', 'paid_at']),
    ('ix_payments_tenant_paid', 'payments', ['tenant_id', 'paid_at']),
)


def _tenant_fk(table):
    return sa.ForeignKeyConstraint(
        ['tenant_id'], ['tenants.id'], name=op.f(f'fk_{table}_tenant_id_tenants')
    )


def _run_fk(table, column):
    return sa.ForeignKeyConstraint(
        [column], ['recon_runs.id'], name=op.f(f'fk_{table}_{column}_recon_runs')
    )


def upgrade():
    op.create_table('recon_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_from', sa.Date(), nullable=False),
    sa.Column('period_to', sa.Date(), nullable=False),
    sa.Column('run_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('who', sa.String(length=200), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    _tenant_fk('recon_runs'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recon_runs'))
    )
    op.create_index(op.f('ix_recon_runs_tenant_id'), 'recon_runs', ['tenant_id'], unique=False)

    money = sa.Numeric(precision=14, scale=2)
    op.create_table('recon_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('released_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('order_number', sa.String(length=32), nullable=False),
    sa.Column('payment_serial', sa.String(length=90), nullable=True),
    sa.Column('waybill_number', sa.String(length=60), nullable=True),
    sa.Column('filing_serial', sa.String(length=18), nullable=True),
    sa.Column('ordered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('paid_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tax_withheld', money, nullable=False),
    sa.Column('buyer_name', sa.String(length=60), nullable=False),
    sa.Column('total_paid', money, nullable=True),
    sa.Column('goods_amount', money, nullable=False),
    sa.Column('settlement_currency', sa.String(length=3), nullable=True),
    sa.Column('settlement_amount', money, nullable=True),
    sa.Column('exchange_rate', money, nullable=True),
    sa.Column('freight', money, nullable=False),
    sa.Column('freight_currency', sa.String(length=3), nullable=False),
    sa.Column('goods_and_freight', money, nullable=False),
    sa.Column('deducted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tax_deducted', money, nullable=True),
    sa.Column('tax_refunded', money, nullable=True),
    sa.Column('first_run_id', sa.Integer(), nullable=False),
    sa.Column('changed_run_id', sa.Integer(), nullable=False),
    sa.Column('changes', sa.Text(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_recon_records_order_id_orders')),
    _run_fk('recon_records', 'first_run_id'),
    _run_fk('recon_records', 'changed_run_id'),
    _tenant_fk('recon_records'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recon_records')),
    sa.UniqueConstraint('tenant_id', 'order_id', name=op.f('uq_recon_records_tenant_id_order_id'))
    )
    op.create_index(op.f('ix_recon_records_tenant_id'), 'recon_records', ['tenant_id'], unique=False)
    op.create_index('ix_recon_records_tenant_released', 'recon_records', ['tenant_id', 'released_at'], unique=False)

    op.create_table('recon_mismatches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('subject', sa.String(length=90), nullable=False),
    sa.Column('subject_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('expected', money, nullable=True),
    sa.Column('actual', money, nullable=True),
    sa.Column('difference', money, nullable=True),
    sa.Column('owed_by', sa.String(length=12), nullable=True),
    sa.Column('owed_to', sa.String(length=12), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=True),
    sa.Column('first_run_id', sa.Integer(), nullable=False),
    sa.Column('last_run_id', sa.Integer(), nullable=False),
    sa.Column('cleared_run_id', sa.Integer(), nullable=True),
    sa.Column('resolved_by', sa.String(length=200), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_recon_mismatches_order_id_orders')),
    _run_fk('recon_mismatches', 'first_run_id'),
    _run_fk('recon_mismatches', 'last_run_id'),
    _run_fk('recon_mismatches', 'cleared_run_id'),
    _tenant_fk('recon_mismatches'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recon_mismatches')),
    sa.UniqueConstraint('tenant_id', 'kind', 'subject', name=op.f('uq_recon_mismatches_tenant_id_kind_subject'))
    )
    op.create_index(op.f('ix_recon_mismatches_tenant_id'), 'recon_mismatches', ['tenant_id'], unique=False)
    op.create_index('ix_recon_mismatches_tenant_seen', 'recon_mismatches', ['tenant_id', 'kind', 'subject_at'], unique=False)

    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)

    if op.get_bind().dialect.name == 'postgresql':
        for table in TABLES:
            op.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
            op.execute(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')
            op.execute(
                f'CREATE POLICY tenant_isolation ON "{table}" USING ({RULE}) WITH CHECK ({RULE})'
            )


def downgrade():
    for name, table, _columns in INDEXES:
        op.drop_index(name, table_name=table)
    op.drop_table('recon_mismatches')
    op.drop_table('recon_records')
    op.drop_table('recon_runs')
