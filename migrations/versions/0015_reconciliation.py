"""reconciliation runs, records and mismatches

Revision ID: 0015
Revises: 0014

"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
