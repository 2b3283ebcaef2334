"""bonded stock movements and the monthly supervised-area report

Goods entering and leaving the bonded warehouse (seed 001 §12) and the generation record of
each month's report. Both are tenant tables: the same row-level security policy as 0012.

Revision ID: 0016
Revises: 0015

"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

TABLES = ('area_reports', 'bonded_stock_movements')
RULE = (  # as in 0012
    "current_setting('kuajing.system', true) = 'on' "
    "OR tenant_id = NULLIF(current_setting('kuajing.tenant_id', true), '')::integer"
)


def upgrade():
    op.create_table('area_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('generated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('generated_by', sa.String(length=200), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_area_reports_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_area_reports')),
    sa.UniqueConstraint('tenant_id', 'month', name=op.f('uq_area_reports_tenant_id_month'))
    )
    with op.batch_alter_table('area_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_area_reports_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('bonded_stock_movements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('direction', sa.String(length=3), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reference', sa.String(length=60), nullable=False),
    sa.Column('order_line_id', sa.Integer(), nullable=True),
    sa.Column('hs_code', sa.String(length=10), nullable=False),
    sa.Column('record_no', sa.String(length=30), nullable=False),
    sa.Column('unit', sa.String(length=3), nullable=False),
    sa.Column('value', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('recorded_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('area_report_id', sa.Integer(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("direction IN ('in', 'out')", name=op.f('ck_bonded_stock_movements_direction_known')),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_bonded_stock_movements_quantity_positive')),
    sa.CheckConstraint('value >= 0', name=op.f('ck_bonded_stock_movements_value_not_negative')),
    sa.ForeignKeyConstraint(['area_report_id'], ['area_reports.id'], name=op.f('fk_bonded_stock_movements_area_report_id_area_reports')),
    sa.ForeignKeyConstraint(['order_line_id'], ['order_lines.id'], name=op.f('fk_bonded_stock_movements_order_line_id_order_lines')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_bonded_stock_movements_product_id_products')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_bonded_stock_movements_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bonded_stock_movements')),
    sa.UniqueConstraint('tenant_id', 'direction', 'reference', 'product_id', name=op.f('uq_bonded_stock_movements_tenant_id_direction_reference_product_id'))
    )
    with op.batch_alter_table('bonded_stock_movements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bonded_stock_movements_area_report_id'), ['area_report_id'], unique=False)
        batch_op.create_index('ix_bonded_stock_movements_tenant_at', ['tenant_id', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_bonded_stock_movements_tenant_id'), ['tenant_id'], unique=False)

    if op.get_bind().dialect.name == 'postgresql':
        for table in TABLES:
            op.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
            op.execute(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')
            op.execute(
                f'CREATE POLICY tenant_isolation ON "{table}" USING ({RULE}) WITH CHECK ({RULE})'
            )


def downgrade():
    with op.batch_alter_table('bonded_stock_movements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bonded_stock_movements_tenant_id'))
        batch_op.drop_index('ix_bonded_stock_movements_tenant_at')
        batch_op.drop_index(batch_op.f('ix_bonded_stock_movements_area_report_id'))

    op.drop_table('bonded_stock_movements')
    with op.batch_alter_table('area_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_area_reports_tenant_id'))

    op.drop_table('area_reports')
