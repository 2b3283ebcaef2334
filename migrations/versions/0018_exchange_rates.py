"""exchange rates keep six decimals (payments and reconciliation records)

Revision ID: 0018
Revises: 0017

"""
from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

TABLES = ('payments', 'recon_records')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                'exchange_rate',
                existing_type=sa.Numeric(precision=14, scale=2),
                type_=sa.Numeric(precision=12, scale=6),
                existing_nullable=True,
            )


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                'exchange_rate',
                existing_type=sa.Numeric(precision=12, scale=6),
                type_=sa.Numeric(precision=14, scale=2),
                existing_nullable=True,
            )
