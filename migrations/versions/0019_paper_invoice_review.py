"""a shopper's change to a paper invoice waits for the merchant's review (seed 003 §四)

Revision ID: 0019
Revises: 0018

"""
from alembic import op
import sqlalchemy as sa


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('invoice_requests', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('paper_state', sa.String(length=10), server_default='', nullable=False)
        )
        batch_op.add_column(
            sa.Column('paper_note', sa.String(length=200), server_default='', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('invoice_requests', schema=None) as batch_op:
        batch_op.drop_column('paper_note')
        batch_op.drop_column('paper_state')
