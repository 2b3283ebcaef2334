"""staff invitations, password resets and store suspension

Revision ID: 0021
Revises: 0020

"""
from alembic import op
import sqlalchemy as sa


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
