"""one review mechanism for every reviewable kind, its decision history, and uploaded documents

Revision ID: 0020
Revises: 0019

"""
from alembic import op
import sqlalchemy as sa


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
