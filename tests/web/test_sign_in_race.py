"""Sign-in limits under real parallel requests on PostgreSQL, timing and proxies.

Each request runs in its own thread, app context and database connection, all released at
once by a barrier, like a burst of guesses against one account.
"""

import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from storefront import create_app
from storefront.extensions import db
from storefront.models import LoginCounter
from storefront.tenancy import tenant_context
from tests.conftest import app_config, truncate_all
from tests.support import factories
from tests.support.factories import PASSWORD

GUESSES = 50
LIMIT = 5


@pytest.fixture
def race_app(database_url, app):
    race = create_app(
        app_config(
            database_url,
            SQLALCHEMY_ENGINE_OPTIONS={"pool_size": GUESSES + 5, "max_overflow": 5},
            TRUSTED_PROXY_COUNT=1,
        )
    )
    yield race
    truncate_all(race)
    with race.app_context():
        db.engine.dispose()


def _staff_email(race_app) -> str:
    with race_app.app_context():
        tenant = factories.tenant()
        with tenant_context(tenant.id):
            email = factories.staff().email
        db.session.commit()
        db.session.remove()
    return email


def _guess(race_app, email: str, barrier: threading.Barrier, n: int) -> str:
    client = race_app.test_client()
    barrier.wait()
    response = client.post(
        "/admin/login",
        data={"email": email, "password": "wrong guess"},
        headers={"X-Forwarded-For": f"198.51.100.{n}"},
    )
    body = response.get_data(as_text=True)
    return (
        "throttled" if "尝试次数过多" in body else "checked" if "邮箱或密码错误" in body else body
    )


def test_fifty_parallel_wrong_passwords_check_at_most_the_limit(race_app):
    email = _staff_email(race_app)
    barrier = threading.Barrier(GUESSES)
    with ThreadPoolExecutor(GUESSES) as pool:
        results = list(pool.map(lambda n: _guess(race_app, email, barrier, n), range(GUESSES)))
    assert results.count("checked") == LIMIT
    assert results.count("throttled") == GUESSES - LIMIT
    with race_app.app_context():
        keys = set(db.session.scalars(select(LoginCounter.key)))
    # behind one trusted proxy each guess is counted under its forwarded client address
    assert {f"ip:198.51.100.{n}" for n in range(GUESSES)} <= keys


def _timed_sign_in(client, email: str) -> float:
    started = time.perf_counter()
    client.post("/admin/login", data={"email": email, "password": "wrong guess"})
    return time.perf_counter() - started


def test_unknown_accounts_take_as_long_as_wrong_passwords(race_app):
    email = _staff_email(race_app)
    client = race_app.test_client()
    _timed_sign_in(client, "warm-up@example.com")
    known = [_timed_sign_in(client, email) for _ in range(LIMIT - 1)]
    unknown = [_timed_sign_in(client, f"nobody{n}@example.com") for n in range(LIMIT - 1)]
    ratio = statistics.median(unknown) / statistics.median(known)
    assert 0.5 < ratio < 2, f"unknown {unknown} known {known}"


def test_the_right_password_still_signs_in_under_the_limit(race_app):
    email = _staff_email(race_app)
    client = race_app.test_client()
    for _ in range(LIMIT - 1):
        _timed_sign_in(client, email)
    response = client.post("/admin/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302
