"""one review mechanism for every reviewable kind, its decision history, and uploaded documents

review_decisions holds every step of every item's review (SPEC §9); stored_files describes
uploaded documents (their bytes are in the file store, under random keys). Both have a nullable
tenant_id (a merchant's application has no tenant yet), so the policy of 0012 shows rows
without a tenant only in system context.

Customs filings move onto the mechanism: status pending/approved/rejected becomes review_state
submitted/approved/rejected, review_note the last reason, and each filing the operator had
decided on gets one review_decisions row (kind, reviewer, time and note of that decision), so
no history is lost. The old rows kept no action once resubmitted: for a filing pending again
after a decision, a note is read as a rejection (the only decision that needed one) and no
note as an approval; that filing is at version 2 (the decision was on version 1).

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
FILINGS = {'customs_filings': 'enterprise_filing', 'product_filings': 'product_filing'}
# the decision an old filing row records: by its status, or its note once pending again
OLD_ACTION = (
    "CASE WHEN status = 'approved' THEN 'approve' WHEN status = 'rejected' THEN 'reject' "
    "WHEN review_note <> '' THEN 'reject' ELSE 'approve' END"
)


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

    for table, kind in FILINGS.items():
        _review_columns(table)
        _map_old_reviews(table, kind)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('status')
            batch_op.drop_column('review_note')
            batch_op.drop_column('reviewed_by')
            batch_op.drop_column('reviewed_at')

    if op.get_bind().dialect.name == 'postgresql':
        for table in TABLES:
            op.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
            op.execute(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')
            op.execute(
                f'CREATE POLICY tenant_isolation ON "{table}" USING ({RULE}) WITH CHECK ({RULE})'
            )


def _review_columns(table):
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'review_state', sa.String(length=16), server_default='draft', nullable=False
        ))
        batch_op.add_column(sa.Column(
            'review_version', sa.Integer(), server_default='0', nullable=False
        ))
        batch_op.add_column(sa.Column('last_reason', sa.Text(), server_default='', nullable=False))
        batch_op.alter_column('submitted_at', existing_type=sa.DateTime(timezone=True),
                              nullable=True)
        batch_op.create_index(batch_op.f(f'ix_{table}_review_state'), ['review_state'])


def _map_old_reviews(table, kind):
    op.execute(
        f"INSERT INTO review_decisions (kind, subject_id, tenant_id, action, from_state, "
        f"to_state, reason, actor, actor_kind, version, at) "
        f"SELECT '{kind}', id, tenant_id, {OLD_ACTION}, 'submitted', "
        f"CASE WHEN {OLD_ACTION} = 'approve' THEN 'approved' ELSE 'rejected' END, "
        f"review_note, COALESCE(reviewed_by, ''), 'operator', 1, reviewed_at "
        f"FROM {table} WHERE reviewed_at IS NOT NULL ORDER BY reviewed_at, id"
    )
    op.execute(
        f"UPDATE {table} SET "
        f"review_state = CASE status WHEN 'pending' THEN 'submitted' ELSE status END, "
        f"review_version = CASE WHEN status = 'pending' AND reviewed_at IS NOT NULL "
        f"THEN 2 ELSE 1 END, "
        f"last_reason = review_note"
    )
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.alter_column('review_state', server_default=None)
        batch_op.alter_column('review_version', server_default=None)
        batch_op.alter_column('last_reason', server_default=None)


def _restore_old_reviews(table, kind):
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'status', sa.String(length=12), server_default='pending', nullable=False
        ))
        batch_op.add_column(sa.Column('review_note', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('reviewed_by', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True))
    last = (
        f"(SELECT {{column}} FROM review_decisions d WHERE d.kind = '{kind}' "
        f"AND d.subject_id = {table}.id AND d.action <> 'submit' ORDER BY d.id DESC LIMIT 1)"
    )
    op.execute(
        f"UPDATE {table} SET "
        f"status = CASE review_state WHEN 'approved' THEN 'approved' "
        f"WHEN 'rejected' THEN 'rejected' ELSE 'pending' END, "
        f"review_note = last_reason, "
        f"reviewed_by = {last.format(column='actor')}, "
        f"reviewed_at = {last.format(column='at')}, "
        f"submitted_at = COALESCE(submitted_at, CURRENT_TIMESTAMP)"
    )
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.alter_column('status', server_default=None)
        batch_op.alter_column('review_note', server_default=None)
        batch_op.alter_column('submitted_at', existing_type=sa.DateTime(timezone=True),
                              nullable=False)
        batch_op.drop_index(batch_op.f(f'ix_{table}_review_state'))
        batch_op.drop_column('review_state')
        batch_op.drop_column('review_version')
        batch_op.drop_column('last_reason')


def downgrade():
    for table, kind in FILINGS.items():
        _restore_old_reviews(table, kind)
    with op.batch_alter_table('stored_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stored_files_tenant_id'))

    op.drop_table('stored_files')
    with op.batch_alter_table('review_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_decisions_tenant_id'))
        batch_op.drop_index('ix_review_decisions_subject')

    op.drop_table('review_decisions')
