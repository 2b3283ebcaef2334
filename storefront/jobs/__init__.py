"""Background jobs: one `enqueue` helper; RQ queues by concern, or in-process without Redis.

A job function takes the tenant id first, then row ids (never ORM objects), runs in that
tenant's context and is idempotent: running it twice leaves the same state. Without Redis a
job enqueued during a request runs once the response has been sent (never inside the
shopper's request); outside a request it runs at once.
"""

import functools
import logging
from collections.abc import Callable

from flask import Flask, current_app, g, has_app_context, has_request_context
from redis import Redis
from rq import Queue, Retry
from sqlalchemy import event
from sqlalchemy.orm import Session

from storefront.extensions import db
from storefront.tenancy import tenant_context

QUEUES = ("events", "orders", "payments", "customs", "notifications", "webhooks", "default")
RETRY_INTERVALS = [10, 60, 300]
_AFTER_COMMIT, _COMMITTED = "jobs_after_commit", "jobs_committed"
logger = logging.getLogger(__name__)


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
            result = func(tenant_id, *args)
        dispatch_committed_events()
        return result

    run.in_process = in_process  # the caller's session and objects stay as they are
    return run


def redis_connection() -> Redis:
    """Return the application's Redis client (created lazily, no I/O until used)."""
    extensions = current_app.extensions
    if "redis" not in extensions:
        extensions["redis"] = Redis.from_url(current_app.config["REDIS_URL"])
    return extensions["redis"]


def enqueue(func: Callable, tenant_id: int, *args, queue: str = "default", job_id=None):
    """Run `func(tenant_id, *args)` in the background: on RQ with Redis, else in-process."""
    if queue not in QUEUES:
        raise ValueError(f"unknown queue {queue!r}")
    if not current_app.config.get("REDIS_URL"):
        if has_request_context():
            g.setdefault("deferred_jobs", []).append((func, tenant_id, args))
        else:
            getattr(func, "in_process", func)(tenant_id, *args)
        return None
    return Queue(queue, connection=redis_connection()).enqueue(
        func, tenant_id, *args, job_id=job_id, retry=Retry(max=3, interval=RETRY_INTERVALS)
    )


def enqueue_after_commit(func: Callable, tenant_id: int, *args, queue: str = "default") -> None:
    """Enqueue `func` once the current transaction commits; nothing if it rolls back.

    For subscribers and services that flush but never commit: a job started before the commit
    would not see their rows.
    """
    db.session.info.setdefault(_AFTER_COMMIT, []).append((func, tenant_id, args, queue))


@event.listens_for(Session, "after_commit")
def _jobs_committed(session) -> None:
    pending = session.info.pop(_AFTER_COMMIT, None)
    if pending:
        session.info.setdefault(_COMMITTED, []).extend(pending)


@event.listens_for(Session, "after_soft_rollback")
def _jobs_rolled_back(session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_AFTER_COMMIT, None)


def dispatch_committed_events() -> None:
    """Hand the events of what was just committed to their dispatcher job, then queue the
    jobs that waited for that commit."""
    from storefront.jobs.events import dispatch_ready  # the job module imports this one

    dispatch_ready()
    for func, tenant_id, args, queue in db.session.info.pop(_COMMITTED, []):
        enqueue(func, tenant_id, *args, queue=queue)


def init_app(app: Flask) -> None:
    """After each request: dispatch its committed events; run deferred jobs after sending."""
    app.after_request(_after_request)


def _after_request(response):
    dispatch_committed_events()
    deferred = g.pop("deferred_jobs", None)
    if deferred:
        app = current_app._get_current_object()
        response.call_on_close(functools.partial(_run_deferred, app, deferred))
    return response


def _run_deferred(app: Flask, jobs: list) -> None:
    if has_app_context():  # a test still holds the app context: share its session
        for func, tenant_id, args in jobs:
            _run_logged(getattr(func, "in_process", func), tenant_id, args)
        return
    with app.app_context():
        for func, tenant_id, args in jobs:
            _run_logged(func, tenant_id, args)


def _run_logged(func: Callable, tenant_id: int, args: tuple) -> None:
    try:
        func(tenant_id, *args)
    except Exception:  # the response is gone: log it; outbox rows and retries recover
        logger.exception("in-process job %s failed", getattr(func, "__name__", func))
