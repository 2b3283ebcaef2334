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


def upgrade():
    pass


def downgrade():
    pass
