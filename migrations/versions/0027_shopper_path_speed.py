"""indexes and columns for the shopper's hot path

Revision ID: 0027
Revises: 0026

"""
from alembic import op
import sqlalchemy as sa


revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
