"""bonded stock movements and the monthly supervised-area report

Revision ID: 0016
Revises: 0015

"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
