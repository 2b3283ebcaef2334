"""invoice issuers pass the operator's review

Revision ID: 0026
Revises: 0025

"""
from alembic import op
import sqlalchemy as sa


revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
