"""Races on real PostgreSQL connections: an app with a pool for N threads, released at once."""

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from flask import Flask

from storefront import create_app
from storefront.extensions import db
from tests.conftest import ClosingClient, app_config, truncate_all


@contextmanager
def race_app(database_url: str, threads: int, **config) -> Iterator[Flask]:
    """An app whose pool holds a connection per thread; its tables are emptied afterwards."""
    app = create_app(
        app_config(
            database_url,
            SQLALCHEMY_ENGINE_OPTIONS={"pool_size": threads + 5, "max_overflow": 5},
            **config,
        )
    )
    app.test_client_class = ClosingClient
    try:
        yield app
    finally:
        truncate_all(app)
        with app.app_context():
            db.engine.dispose()


def all_at_once(count: int, work: Callable[[int, threading.Barrier], object]) -> list:
    """Run `work(i, barrier)` in `count` threads; each waits at the barrier before racing."""
    barrier = threading.Barrier(count)
    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(lambda i: work(i, barrier), range(count)))
