"""Jobs run in-process without Redis and under a real RQ worker with it."""

from flask.testing import FlaskClient
from redis import Redis
from rq import Queue, SimpleWorker
from sqlalchemy import select

from storefront.extensions import db
from storefront.jobs import enqueue
from storefront.jobs.notifications import welcome_shopper
from storefront.models import Notification, Shopper
from storefront.tenancy import tenant_context
from tests.support.factories import PASSWORD


def _welcomes(tenant_id: int, shopper_id: int) -> list[Notification]:
    with tenant_context(tenant_id):
        return db.session.scalars(
            select(Notification).where(Notification.shopper_id == shopper_id)
        ).all()


def test_without_redis_a_job_runs_in_process(app, tenants):
    a = tenants.a
    assert enqueue(welcome_shopper, a.tenant.id, a.shopper.id, queue="notifications") is None
    assert [n.kind for n in _welcomes(a.tenant.id, a.shopper.id)] == ["welcome"]


def test_without_redis_a_job_of_a_request_waits_until_the_response_is_closed(app, tenants):
    a = tenants.a
    form = {"name": "Wang Fang", "email": "wang@example.com", "password": PASSWORD}
    with app.test_client() as client:
        # the plain client keeps the response open, as a slow network would
        response = FlaskClient.open(
            client,
            f"/s/{a.tenant.slug}/register",
            method="POST",
            data={**form, "confirm": PASSWORD},
        )
        assert response.status_code == 302
        with tenant_context(a.tenant.id):
            shopper_id = db.session.scalar(select(Shopper.id).where(Shopper.email == form["email"]))
        assert _welcomes(a.tenant.id, shopper_id) == []
        response.close()
    assert [n.kind for n in _welcomes(a.tenant.id, shopper_id)] == ["welcome"]


def test_jobs_are_idempotent(app, tenants):
    tenant_id, shopper_id = tenants.a.tenant.id, tenants.a.shopper.id
    welcome_shopper(tenant_id, shopper_id)
    welcome_shopper(tenant_id, shopper_id)
    assert len(_welcomes(tenant_id, shopper_id)) == 1


def test_a_real_rq_worker_runs_the_job_against_redis(app, session, tenants, redis_url):
    tenant_id, shopper_id = tenants.a.tenant.id, tenants.a.shopper.id
    app.config["REDIS_URL"] = redis_url
    app.extensions.pop("redis", None)
    try:
        with app.app_context():
            job = enqueue(welcome_shopper, tenant_id, shopper_id, queue="notifications")
            assert job is not None and job.origin == "notifications"
            connection = Redis.from_url(redis_url)
            worker = SimpleWorker(
                [Queue("notifications", connection=connection)], connection=connection
            )
            assert worker.work(burst=True)
            job.refresh()
            assert job.is_finished, job.latest_result()
    finally:
        app.config["REDIS_URL"] = None
        app.extensions.pop("redis", None)
    assert [n.kind for n in _welcomes(tenant_id, shopper_id)] == ["welcome"]
