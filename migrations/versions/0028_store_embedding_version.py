"""a store's embedding version: bumped with every change of its allowed origins

Each web process keeps a read-only view of a store, re-validated by the store's row on every
request; a change of the origins shows in that row, so the views read the new list once.

Revision ID: 0028
Revises: 0027

"""

from alembic import op
import sqlalchemy as sa


revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "tenants",
        sa.Column("embedding_version", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade():
    op.drop_column("tenants", "embedding_version")
