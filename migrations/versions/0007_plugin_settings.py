"""plugin settings per tenant and their audit

Revision ID: 0007
Revises: 0006

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('plugin_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('port', sa.String(length=30), nullable=False),
    sa.Column('plugin_id', sa.String(length=60), nullable=False),
    sa.Column('settings', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_plugin_settings_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plugin_settings')),
    sa.UniqueConstraint('tenant_id', 'port', name=op.f('uq_plugin_settings_tenant_id_port'))
    )
    with op.batch_alter_table('plugin_settings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plugin_settings_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('plugin_setting_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('port', sa.String(length=30), nullable=False),
    sa.Column('plugin_id', sa.String(length=60), nullable=False),
    sa.Column('previous_plugin_id', sa.String(length=60), nullable=True),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('changed_by', sa.String(length=200), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_plugin_setting_changes_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plugin_setting_changes'))
    )
    with op.batch_alter_table('plugin_setting_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plugin_setting_changes_tenant_id'), ['tenant_id'], unique=False)


def downgrade():
    with op.batch_alter_table('plugin_setting_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plugin_setting_changes_tenant_id'))

    op.drop_table('plugin_setting_changes')
    with op.batch_alter_table('plugin_settings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plugin_settings_tenant_id'))

    op.drop_table('plugin_settings')
