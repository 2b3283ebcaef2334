"""one review mechanism for every reviewable kind, its decision history, and uploaded documents

review_decisions holds every step of every item's review (SPEC §9); stored_files describes
uploaded documents (their bytes are in the file store, under random keys). Both have a nullable
tenant_id (a merchant's application has no tenant yet), so the policy of 0012 shows rows
without a tenant only in system context.

Revision ID: 0020
Revises: 0019

"""
import sqlalchemy as sa
from alembic import op

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

RULE = (  # as in 0012
    "current_setting('kuajing.system', true) = 'on' "
    "OR tenant_id = NULLIF(current_setting('kuajing.tenant_id', true), '')::integer"
)
TABLES = ('review_decisions', 'stored_files')


def upgrade():
    op.create_table('review_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('from_state', sa.String(length=16), nullable=False),
    sa.Column('to_state', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('actor_kind', sa.String(length=12), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(
        ['tenant_id'], ['tenants.id'], name=op.f('fk_review_decisions_tenant_id_tenants')
    ),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_decisions'))
    )
    with op.batch_alter_table('review_decisions', schema=None) as batch_op:
        batch_op.create_index('ix_review_decisions_subject', ['kind', 'subject_id', 'id'])
        batch_op.create_index(batch_op.f('ix_review_decisions_tenant_id'), ['tenant_id'])

    op.create_table('stored_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=True),
    sa.Column('purpose', sa.String(length=30), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_key', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(
        ['tenant_id'], ['tenants.id'], name=op.f('fk_stored_files_tenant_id_tenants')
    ),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stored_files')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_stored_files_storage_key'))
    )
    with op.batch_alter_table('stored_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stored_files_tenant_id'), ['tenant_id'])

    if op.get_bind().dialect.name == 'postgresql':
        for table in TABLES:
            op.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
            op.execute(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')
            op.execute(
                f'CREATE POLICY tenant_isolation ON "{table}" USING ({RULE}) WITH CHECK ({RULE})'
            )


def downgrade():
    with op.batch_alter_table('stored_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stored_files_tenant_id'))

    op.drop_table('stored_files')
    with op.batch_alter_table('review_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_decisions_tenant_id'))
        batch_op.drop_index('ix_review_decisions_subject')

    op.drop_table('review_decisions')
