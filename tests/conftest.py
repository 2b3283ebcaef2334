"""Test fixtures: real PostgreSQL and Redis, schema migrated once, each test rolled back.

Set TEST_DATABASE_URL / TEST_REDIS_URL to use running servers; otherwise throwaway ones
are started for the session. Every test runs with two tenants present.
"""

import os
import tempfile
import time

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from flask_sqlalchemy.session import Session
from psycopg.errors import DeadlockDetected
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from plugins.stripe_payments import StripePayments
from storefront import create_app
from storefront.extensions import db
from storefront.tenancy import system_context
from tests.support import factories
from tests.support.localstripe import local_stripe
from tests.support.servers import postgres_server, redis_server

WEBHOOK_SECRET = "whsec_test_secret"
TEST_ENCRYPTION_KEY = "lZ0hJbq2q1Wv0m0o9mKq3eH2qkq6Zx3GzE4bQq1p9Xo="
TRUNCATE_ATTEMPTS = 5


@pytest.fixture(scope="session")
def database_url():
    if os.environ.get("TEST_DATABASE_URL"):
        yield os.environ["TEST_DATABASE_URL"]
        return
    with postgres_server() as url:
        yield url


@pytest.fixture(scope="session")
def redis_url():
    if os.environ.get("TEST_REDIS_URL"):
        yield os.environ["TEST_REDIS_URL"]
        return
    with redis_server() as url:
        yield url


def app_config(database_url: str, **overrides) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "REDIS_URL": None,
        "WTF_CSRF_ENABLED": False,
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "SERVER_NAME": None,
        # production requires it; the test client's own address, so mailed links open here
        "PUBLIC_URL": "http://localhost",
        # the test client's host, and the loopback address browser tests serve on
        "TRUSTED_HOSTS": ["localhost", "127.0.0.1"],
        "STRIPE_SECRET_KEY": "sk_test_local",
        "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "ENCRYPTION_KEYS": TEST_ENCRYPTION_KEY,
        "WEBHOOK_ALLOW_LOOPBACK": True,  # test endpoints listen on 127.0.0.1
        # uploads of every test app go to a folder of its own, never the instance folder
        "UPLOAD_FOLDER": tempfile.mkdtemp(prefix="kuajing-test-uploads-"),
    }
    config.update(overrides)
    return config


class ClosingClient(FlaskClient):
    """Close every response, as a WSGI server does: work deferred until after the response
    (in-process jobs without Redis) runs before the call returns."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        response.get_data()
        response.close()
        return response


@pytest.fixture(scope="session")
def app(database_url, stripe_server, tmp_path_factory):
    sandbox_dir = str(tmp_path_factory.mktemp("sandbox"))
    uploads = str(tmp_path_factory.mktemp("uploads"))  # never the instance folder
    app = create_app(
        app_config(
            database_url,
            STRIPE_API_BASE=stripe_server,
            SANDBOX_DIR=sandbox_dir,
            UPLOAD_FOLDER=uploads,
        )
    )
    app.test_client_class = ClosingClient
    with app.app_context():
        upgrade()
        db.session.remove()
    yield app
    with app.app_context():
        db.engine.dispose()


class ConnectionBoundSession(Session):
    """Flask-SQLAlchemy's session would pick the engine; this one keeps the test connection."""

    def get_bind(self, *args, **kwargs):
        return self.bind


@pytest.fixture
def session(app):
    """Bind the app's session to one connection whose transaction is rolled back after."""
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        db.session = db._make_scoped_session(
            {
                "bind": connection,
                "join_transaction_mode": "create_savepoint",
                "class_": ConnectionBoundSession,
            }
        )
        try:
            yield db.session
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()


@pytest.fixture
def client(app, session):
    return app.test_client()


@pytest.fixture
def tenants(session):
    """Two stores, A and B, each with a full set of data; B's ids feed isolation tests."""
    return factories.two_tenants()


def truncate_all(app) -> None:
    """Empty every table but the platform's reference data (for tests that commit).

    Ids are not restarted: sandboxes keep their records per tenant id for the whole session,
    and a reused id would hand a later test an earlier test's provider records.
    """
    keep = {"limit_policies", "alembic_version"}
    with app.app_context(), system_context():
        tables = [t.name for t in db.metadata.sorted_tables if t.name not in keep]
        for attempt in range(TRUNCATE_ATTEMPTS):
            try:
                db.session.execute(text(f"TRUNCATE {', '.join(tables)} CASCADE"))
                db.session.commit()
                break
            except OperationalError as error:
                # A live server's last request (a polling page, an in-process job) may still
                # hold a table TRUNCATE wants; PostgreSQL then breaks the deadlock by aborting
                # one side. Ours is retried once that request is over.
                db.session.rollback()
                if not isinstance(error.orig, DeadlockDetected) or attempt == TRUNCATE_ATTEMPTS - 1:
                    raise
                time.sleep(0.2)
        db.session.remove()


@pytest.fixture(scope="session")
def stripe_server():
    """The local Stripe-compatible server (localstripe) for the whole session."""
    with local_stripe() as url:
        yield url


@pytest.fixture
def stripe_provider(stripe_server):
    return StripePayments("sk_test_local", WEBHOOK_SECRET, api_base=stripe_server)
