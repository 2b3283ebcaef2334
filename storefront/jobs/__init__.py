"""Background jobs: one `enqueue` helper; RQ queues by concern, or in-process without Redis.

A job function takes the tenant id first, then row ids (never ORM objects), runs in that
tenant's context and is idempotent: running it twice leaves the same state.
"""

import functools
from collections.abc import Callable

from flask import current_app, has_request_context
from redis import Redis
from rq import Queue, Retry

from storefront.extensions import db
from storefront.tenancy import tenant_context

QUEUES = ("orders", "payments", "notifications", "webhooks", "default")
RETRY_INTERVALS = [10, 60, 300]


def tenant_job(func: Callable) -> Callable:
    """Run the job inside its tenant's context; a worker leaves its session clean after it."""

    @functools.wraps(func)
    def run(tenant_id: int, *args):
        try:
            return in_process(tenant_id, *args)
        finally:
            if not has_request_context():
                db.session.remove()

    def in_process(tenant_id: int, *args):
        with tenant_context(tenant_id):
            return func(tenant_id, *args)

    run.in_process = in_process  # the caller's session and objects stay as they are
    return run


def redis_connection() -> Redis:
    """Return the application's Redis client (created lazily, no I/O until used)."""
    extensions = current_app.extensions
    if "redis" not in extensions:
        extensions["redis"] = Redis.from_url(current_app.config["REDIS_URL"])
    return extensions["redis"]


def enqueue(func: Callable, tenant_id: int, *args, queue: str = "default", job_id=None):
    """Run `func(tenant_id, *args)` in the background: on RQ with Redis, else right now."""
    if queue not in QUEUES:
        raise ValueError(f"unknown queue {queue!r}")
    if not current_app.config.get("REDIS_URL"):
        getattr(func, "in_process", func)(tenant_id, *args)
        return None
    return Queue(queue, connection=redis_connection()).enqueue(
        func, tenant_id, *args, job_id=job_id, retry=Retry(max=3, interval=RETRY_INTERVALS)
    )
