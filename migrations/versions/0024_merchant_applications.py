"""merchant applications to join the platform, and a store's opening by its owner

applicants are the accounts of people applying (they sign in only to their application);
merchant_applications hold what seed 000 step 1 asks for, reviewed through review_decisions.
Neither belongs to a tenant (no store exists until the operator approves), so neither gets
the tenant policy: like platform_operators, they are read only through the applicant's own
session or the operator's console. An application's store address is unique among the
applications still in review (a partial unique index).

tenants.opened_at: a store approved from an application opens to shoppers when its owner
says so; every store that exists already is marked opened (at its creation). opening_choices
(a tenant table, with the policy of 0012) records the owner's explicit choice of the
platform's own service for a port on the opening checklist.

Revision ID: 0024
Revises: 0023

"""
import sqlalchemy as sa
from alembic import op

revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None

OPEN = "store_slug <> '' AND review_state IN ('draft', 'submitted', 'needs_changes')"
RULE = (  # as in 0012
    "current_setting('kuajing.system', true) = 'on' "
    "OR tenant_id = NULLIF(current_setting('kuajing.tenant_id', true), '')::integer"
)
DOCUMENTS = ('business_licence', 'legal_person_id', 'tax_registration', 'agreement')


def upgrade():
    with op.batch_alter_table('tenants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE tenants SET opened_at = created_at")

    op.create_table('applicants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('password_hash', sa.String(length=256), nullable=False),
    sa.Column('session_version', sa.Integer(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_applicants')),
    sa.UniqueConstraint('email', name=op.f('uq_applicants_email'))
    )
    op.create_table('merchant_applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('applicant_id', sa.Integer(), nullable=False),
    sa.Column('company_name', sa.String(length=200), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=False),
    sa.Column('legal_person', sa.String(length=80), nullable=False),
    sa.Column('contact_name', sa.String(length=80), nullable=False),
    sa.Column('contact_phone', sa.Text(), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('store_name', sa.String(length=120), nullable=False),
    sa.Column('store_slug', sa.String(length=40), nullable=False),
    *[sa.Column(f'{document}_id', sa.Integer(), nullable=True) for document in DOCUMENTS],
    sa.Column('tenant_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('review_state', sa.String(length=16), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('review_version', sa.Integer(), nullable=False),
    sa.Column('last_reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(
        ['applicant_id'], ['applicants.id'],
        name=op.f('fk_merchant_applications_applicant_id_applicants'),
    ),
    *[
        sa.ForeignKeyConstraint(
            [f'{document}_id'], ['stored_files.id'],
            name=op.f(f'fk_merchant_applications_{document}_id_stored_files'),
        )
        for document in DOCUMENTS
    ],
    sa.ForeignKeyConstraint(
        ['tenant_id'], ['tenants.id'], name=op.f('fk_merchant_applications_tenant_id_tenants')
    ),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_merchant_applications')),
    sa.UniqueConstraint('applicant_id', name=op.f('uq_merchant_applications_applicant_id')),
    sa.UniqueConstraint('tenant_id', name=op.f('uq_merchant_applications_tenant_id'))
    )
    with op.batch_alter_table('merchant_applications', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_merchant_applications_credit_code'), ['credit_code'], unique=False
        )
        batch_op.create_index(
            batch_op.f('ix_merchant_applications_review_state'), ['review_state'], unique=False
        )
        batch_op.create_index(
            'uq_merchant_applications_open_slug', ['store_slug'], unique=True,
            postgresql_where=sa.text(OPEN), sqlite_where=sa.text(OPEN),
        )

    op.create_table(
        "opening_choices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("port", sa.String(length=30), nullable=False),
        sa.Column("chosen_by", sa.String(length=200), nullable=False),
        sa.Column("chosen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_opening_choices_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opening_choices")),
        sa.UniqueConstraint("tenant_id", "port", name=op.f("uq_opening_choices_tenant_id_port")),
    )
    with op.batch_alter_table("opening_choices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_opening_choices_tenant_id"), ["tenant_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute('ALTER TABLE "opening_choices" ENABLE ROW LEVEL SECURITY')
        op.execute('ALTER TABLE "opening_choices" FORCE ROW LEVEL SECURITY')
        op.execute(
            f'CREATE POLICY tenant_isolation ON "opening_choices" USING ({RULE}) WITH CHECK ({RULE})'
        )


def downgrade():
    with op.batch_alter_table("opening_choices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_opening_choices_tenant_id"))
    op.drop_table("opening_choices")
    with op.batch_alter_table('merchant_applications', schema=None) as batch_op:
        batch_op.drop_index('uq_merchant_applications_open_slug')
        batch_op.drop_index(batch_op.f('ix_merchant_applications_review_state'))
        batch_op.drop_index(batch_op.f('ix_merchant_applications_credit_code'))
    op.drop_table('merchant_applications')
    op.drop_table('applicants')
    with op.batch_alter_table('tenants', schema=None) as batch_op:
        batch_op.drop_column('opened_at')
