"""Domain events: written with the use case, dispatched after commit, never lost, never twice."""

from datetime import timedelta

import pytest
from flask import has_request_context
from redis import Redis
from rq import Queue, SimpleWorker
from sqlalchemy import select

from storefront.domain.events import EventName
from storefront.domain.orders import Actor, OrderStatus
from storefront.events import Subscriber, subscribe
from storefront.extensions import db
from storefront.jobs import dispatch_committed_events
from storefront.models import Order, OutboxEvent
from storefront.queries import row_or_none
from storefront.services import fulfilment, outbox
from storefront.services.orders import transition_order
from storefront.tenancy import tenant_context
from tests.web.helpers import login_shopper, login_staff


@pytest.fixture
def heard(app):
    """A subscriber to every event that notes what it saw, removed after the test."""
    seen = []

    def listen(event):
        order = row_or_none(Order, event.order_id)
        seen.append((event.name, order.status, order.received_at, has_request_context()))

    subscriber = Subscriber("test-listener", frozenset(EventName), listen)
    subscribe(app, subscriber)
    yield seen
    app.extensions["subscribers"].remove(subscriber)


def _ship(order):
    order.status = OrderStatus.SHIPPED
    db.session.flush()


def test_a_subscriber_hears_the_committed_state_after_the_response(client, tenants, heard):
    a = tenants.a
    with tenant_context(a.tenant.id):
        _ship(a.order)
    login_shopper(client, a.tenant, a.shopper)
    response = client.post(f"/s/{a.tenant.slug}/orders/{a.order.id}/receive")
    assert response.status_code == 302
    ((name, status, received_at, in_request),) = heard
    assert (name, status) == (EventName.ORDER_RECEIVED, OrderStatus.RECEIVED)
    assert received_at is not None  # set after the transition, yet seen: dispatched after commit
    assert not in_request  # not inside the shopper's request


def test_a_failed_use_case_dispatches_nothing(app, tenants, heard):
    a = tenants.a
    with tenant_context(a.tenant.id):
        _ship(a.order)
        db.session.commit()
        transition_order(a.order, OrderStatus.RECEIVED, Actor.SHOPPER, "shopper")
        db.session.rollback()
        assert outbox.take_ready_tenants() == set()
        assert outbox.dispatch_pending() == 0
        assert db.session.scalars(select(OutboxEvent)).all() == []
    assert heard == []


def test_a_failing_subscriber_loses_nothing_and_the_others_run_once(app, tenants, heard):
    a, calls = tenants.a, []

    def flaky(event):
        calls.append(event.id)
        if len(calls) == 1:
            raise ConnectionError("the customs gateway is down")

    subscriber = Subscriber("flaky", frozenset({EventName.ORDER_RECEIVED}), flaky)
    subscribe(app, subscriber)
    try:
        with tenant_context(a.tenant.id):
            _ship(a.order)
            fulfilment.confirm_receipt(a.order)
            assert outbox.take_ready_tenants() == {a.tenant.id}
            assert outbox.dispatch_pending() == 0
            row = db.session.scalar(select(OutboxEvent))
            assert (row.attempts, row.dispatched_at) == (1, None)
            assert "test-listener" in row.done and "flaky" not in row.done
            assert "ConnectionError" in row.last_error
            assert outbox.dispatch_pending() == 0  # not due yet: backoff
            row.next_attempt_at -= timedelta(minutes=1)
            assert outbox.dispatch_pending() == 1
            assert row.dispatched_at is not None
            assert outbox.dispatch_pending() == 0
    finally:
        app.extensions["subscribers"].remove(subscriber)
    assert len(calls) == 2
    assert len(heard) == 1  # the listener that succeeded first was not called again


def test_an_event_carries_ids_and_facts_not_objects(tenants):
    a = tenants.a
    with tenant_context(a.tenant.id):
        fulfilment.cancel(a.order, Actor.MERCHANT, "staff:1", "out of stock")
        row = db.session.scalar(select(OutboxEvent))
    assert (row.name, row.order_id, row.data) == (
        EventName.ORDER_CANCELLED,
        a.order.id,
        {"status": "cancelled", "previous": "paid"},
    )


def test_with_redis_the_dispatcher_is_a_job_on_the_events_queue(app, tenants, redis_url, heard):
    a = tenants.a
    app.config["REDIS_URL"] = redis_url
    app.extensions.pop("redis", None)
    try:
        with tenant_context(a.tenant.id):
            _ship(a.order)
            fulfilment.confirm_receipt(a.order)
        dispatch_committed_events()
        connection = Redis.from_url(redis_url)
        queue = Queue("events", connection=connection)
        assert queue.count == 1 and heard == []
        assert SimpleWorker([queue], connection=connection).work(burst=True)
    finally:
        app.config["REDIS_URL"] = None
        app.extensions.pop("redis", None)
    assert [name for name, *_ in heard] == [EventName.ORDER_RECEIVED]


def test_the_merchant_sees_a_failing_event_and_retries_it(app, client, tenants):
    a, outcomes = tenants.a, [ConnectionError("the customs gateway is down"), None]

    def flaky(event):
        outcome = outcomes.pop(0)
        if outcome:
            raise outcome

    subscriber = Subscriber("customs-gateway", frozenset({EventName.ORDER_RECEIVED}), flaky)
    subscribe(app, subscriber)
    try:
        with tenant_context(a.tenant.id):
            _ship(a.order)
            fulfilment.confirm_receipt(a.order)
            outbox.dispatch_pending()
            row = db.session.scalar(select(OutboxEvent))
        login_staff(client, a.owner)
        page = client.get("/admin/webhooks").get_data(as_text=True)
        assert "customs-gateway: ConnectionError" in page and "订单已收货" in page
        response = client.post(f"/admin/events/{row.id}/retry")
        assert response.status_code == 302
    finally:
        app.extensions["subscribers"].remove(subscriber)
    assert outcomes == [] and row.dispatched_at is not None
    page = client.get("/admin/webhooks").get_data(as_text=True)
    assert "customs-gateway" not in page
