"""Migration 0010 encrypts the ID numbers already stored, and its downgrade restores them."""

import uuid

import psycopg
import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text

from storefront import create_app
from storefront.crypto import identity_hash
from storefront.extensions import db
from storefront.tenancy import system_context
from tests.conftest import app_config

BEFORE = "0005"
ROWS = [
    "INSERT INTO tenants (id, slug, name, default_locale, limit_policy_code, active, created_at,"
    " commission_rate) VALUES (1, 't', 't', 'zh_CN', 'seed', true, now(), 0)",
    "INSERT INTO shoppers (id, tenant_id, email, name, password_hash, created_at)"
    " VALUES (1, 1, 'a@example.com', 'n', 'x', now())",
    "INSERT INTO buyer_identities (id, tenant_id, shopper_id, real_name, id_number, phone)"
    " VALUES (1, 1, 1, 'n', '11010519491231002X', '13800138000'),"
    " (2, 1, 1, 'n', '11010５19491231002x', '13800138000')",  # the same person, full-width
]


@pytest.fixture
def empty_database(database_url):
    name = f"migration_{uuid.uuid4().hex[:8]}"
    admin = database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    url = database_url.rsplit("/", 1)[0] + f"/{name}"
    yield url
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE {name} WITH (FORCE)")


def test_existing_id_numbers_are_normalised_encrypted_and_hashed(empty_database):
    app = create_app(app_config(empty_database))
    with app.app_context():
        upgrade(revision=BEFORE)
        raw = create_engine(empty_database)
        with raw.begin() as conn:
            for statement in ROWS:
                conn.execute(text(statement))
        upgrade()
        with system_context(), raw.connect() as conn:  # past row-level security
            rows = conn.execute(
                text("SELECT id, id_number, id_number_hash FROM buyer_identities")
            ).all()
        assert [(row_id, hashed) for row_id, _token, hashed in rows] == [
            (1, identity_hash("11010519491231002X"))
        ]  # the full-width duplicate of the same person is gone
        assert "11010519491231002X" not in rows[0][1]
        downgrade(revision=BEFORE)
        with system_context(), raw.connect() as conn:
            plain = conn.execute(text("SELECT id_number FROM buyer_identities")).scalars().all()
        assert plain == ["11010519491231002X"]
        raw.dispose()
        db.engine.dispose()
