"""ID numbers encrypted at rest with a keyed hash beside for look-ups

Revision ID: 0010
Revises: 0009

Existing rows are normalised (NFKC, no spaces, upper-case X), encrypted with the first key
of ENCRYPTION_KEYS and hashed with IDENTITY_HASH_KEY, like the models do. Two identities of
one shopper that normalise to the same number were one person entered twice: the later is
removed (orders copy the identity, nothing refers to it).
"""
from alembic import op
import sqlalchemy as sa

from storefront.crypto import identity_hash, keyring
from storefront.domain.identity import normalise_prc_id


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('buyer_identities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('id_number_hash', sa.String(length=64), nullable=True))
        batch_op.alter_column('id_number', existing_type=sa.String(length=18), type_=sa.Text())
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('buyer_id_hash', sa.String(length=64), nullable=True))
        batch_op.alter_column(
            'buyer_id_number', existing_type=sa.String(length=18), type_=sa.Text()
        )
    _encrypt_identities()
    _encrypt_orders()
    with op.batch_alter_table('buyer_identities', schema=None) as batch_op:
        batch_op.alter_column('id_number_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_constraint(
            'uq_buyer_identities_tenant_id_shopper_id_id_number', type_='unique'
        )
        batch_op.create_unique_constraint(
            batch_op.f('uq_buyer_identities_tenant_id_shopper_id_id_number_hash'),
            ['tenant_id', 'shopper_id', 'id_number_hash'],
        )
        batch_op.create_index(
            batch_op.f('ix_buyer_identities_id_number_hash'), ['id_number_hash'], unique=False
        )
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_orders_buyer_id_hash'), ['buyer_id_hash'], unique=False)


def downgrade():
    _decrypt('buyer_identities', 'id_number')
    _decrypt('orders', 'buyer_id_number')
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_orders_buyer_id_hash'))
        batch_op.drop_column('buyer_id_hash')
        batch_op.alter_column(
            'buyer_id_number', existing_type=sa.Text(), type_=sa.String(length=18)
        )
    with op.batch_alter_table('buyer_identities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_buyer_identities_id_number_hash'))
        batch_op.drop_constraint(
            'uq_buyer_identities_tenant_id_shopper_id_id_number_hash', type_='unique'
        )
        batch_op.drop_column('id_number_hash')
        batch_op.alter_column('id_number', existing_type=sa.Text(), type_=sa.String(length=18))
        batch_op.create_unique_constraint(
            batch_op.f('uq_buyer_identities_tenant_id_shopper_id_id_number'),
            ['tenant_id', 'shopper_id', 'id_number'],
        )


def _encrypt_identities():
    bind = op.get_bind()
    rows = bind.execute(
        sa.text('SELECT id, tenant_id, shopper_id, id_number FROM buyer_identities ORDER BY id')
    ).all()
    seen = set()
    for row_id, tenant_id, shopper_id, plain in rows:
        number = normalise_prc_id(plain)
        person = identity_hash(number)
        if (tenant_id, shopper_id, person) in seen:
            bind.execute(sa.text('DELETE FROM buyer_identities WHERE id = :id'), {'id': row_id})
            continue
        seen.add((tenant_id, shopper_id, person))
        bind.execute(
            sa.text('UPDATE buyer_identities SET id_number = :token, id_number_hash = :hash '
                    'WHERE id = :id'),
            {'token': keyring().encrypt(number), 'hash': person, 'id': row_id},
        )


def _encrypt_orders():
    bind = op.get_bind()
    rows = bind.execute(sa.text('SELECT id, buyer_id_number FROM orders')).all()
    for row_id, plain in rows:
        number = normalise_prc_id(plain or '')
        bind.execute(
            sa.text('UPDATE orders SET buyer_id_number = :token, buyer_id_hash = :hash '
                    'WHERE id = :id'),
            {
                'token': keyring().encrypt(number),
                'hash': identity_hash(number) if number else None,
                'id': row_id,
            },
        )


def _decrypt(table, column):
    bind = op.get_bind()
    rows = bind.execute(sa.text(f'SELECT id, {column} FROM {table}')).all()
    for row_id, token in rows:
        bind.execute(
            sa.text(f'UPDATE {table} SET {column} = :plain WHERE id = :id'),
            {'plain': keyring().decrypt(token), 'id': row_id},
        )
