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


def upgrade():
    pass


def downgrade():
    pass
