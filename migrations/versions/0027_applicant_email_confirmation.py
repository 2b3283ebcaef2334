"""an applicant's e-mail confirmation: when it opened the link mailed to its address

Applicants of earlier revisions start unconfirmed: nothing proved that their address is
theirs, so they confirm it (the application page resends the link) before an approval makes
it a store owner's login.

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
    op.add_column("applicants", sa.Column("email_confirmed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    op.drop_column("applicants", "email_confirmed_at")
