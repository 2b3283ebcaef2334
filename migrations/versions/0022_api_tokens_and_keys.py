"""shopper API tokens, merchant API keys and idempotency keys

Revision ID: 0022
Revises: 0021

"""
from alembic import op
import sqlalchemy as sa


revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
