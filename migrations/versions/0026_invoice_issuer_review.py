"""invoice issuers pass the operator's review

Seed 000 step 2(2): a store's invoice issuer (its invoice settings) is reviewed by the platform
operator with its tax registration certificate and the products it may invoice. The settings
gain the review columns of the one mechanism (0020) and the certificate; the products it may
invoice are rows of their own. Existing issuers start as drafts: nobody has approved them, and
only approved issuers invoice (issue 13), so their owners submit them once.

Revision ID: 0026
Revises: 0025

"""
from alembic import op
import sqlalchemy as sa


revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None

TABLES = ('invoice_issuer_products',)
RULE = (  # as in 0012
    "current_setting('kuajing.system', true) = 'on' "
    "OR tenant_id = NULLIF(current_setting('kuajing.tenant_id', true), '')::integer"
)


def upgrade():
    with op.batch_alter_table('invoice_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'review_state', sa.String(length=16), server_default='draft', nullable=False
        ))
        batch_op.add_column(sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column(
            'review_version', sa.Integer(), server_default='0', nullable=False
        ))
        batch_op.add_column(sa.Column('last_reason', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('certificate_file_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            'invoice_settings_certificate_file_id_fkey', 'stored_files',
            ['certificate_file_id'], ['id'],
        )
        batch_op.create_index(
            batch_op.f('ix_invoice_settings_review_state'), ['review_state'], unique=False
        )

    op.create_table(
        'invoice_issuer_products',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('tenant_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['product_id'], ['products.id'], ),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('tenant_id', 'product_id'),
    )
    with op.batch_alter_table('invoice_issuer_products', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_invoice_issuer_products_tenant_id'), ['tenant_id'], unique=False
        )

    if op.get_bind().dialect.name == 'postgresql':
        for table in TABLES:
            op.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
            op.execute(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')
            op.execute(
                f'CREATE POLICY tenant_isolation ON "{table}" USING ({RULE}) WITH CHECK ({RULE})'
            )


def downgrade():
    with op.batch_alter_table('invoice_issuer_products', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invoice_issuer_products_tenant_id'))
    op.drop_table('invoice_issuer_products')

    with op.batch_alter_table('invoice_settings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invoice_settings_review_state'))
        batch_op.drop_constraint('invoice_settings_certificate_file_id_fkey', type_='foreignkey')
        batch_op.drop_column('certificate_file_id')
        batch_op.drop_column('last_reason')
        batch_op.drop_column('review_version')
        batch_op.drop_column('submitted_at')
        batch_op.drop_column('review_state')
