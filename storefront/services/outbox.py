"""Record domain events in the use case's transaction; hand them to subscribers after commit.

A failed commit takes its events with it (they are rows of the same transaction), and a crashed
dispatcher loses nothing: a row stays undispatched until every subscriber has run on it.
Subscribers run at most once per event each (the row remembers who ran); they receive ids and
facts (`DomainEvent`), load what they need, flush but never commit.
"""

import logging
from datetime import datetime, timedelta

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from storefront.domain.events import DomainEvent, EventName
from storefront.events import subscribers_for
from storefront.extensions import db
from storefront.models import Order, OutboxEvent
from storefront.models.types import utcnow
from storefront.services.errors import NotFound

logger = logging.getLogger(__name__)
BACKOFF_SECONDS = (10, 60, 300, 1800, 7200)  # then every two hours, until it goes through
_PENDING, _READY = "outbox_pending_tenants", "outbox_ready_tenants"


def record(
    name: EventName, order: Order | None = None, *, tenant_id: int | None = None, **facts: object
) -> None:
    """Write `name` into the outbox of the current transaction (dispatched after commit).

    `tenant_id` names the tenant of an event raised inside system_context() (the operator's
    use cases); otherwise the tenant in context is stamped on flush.
    """
    data = {key: None if value is None else str(value) for key, value in facts.items()}
    event = OutboxEvent(name=name, tenant_id=tenant_id, data=data)
    if order is not None and order.id is None:  # placed in this use case: written with it
        event.order = order
    else:
        event.order_id = order.id if order else None
    db.session.add(event)


def retry_now(event_id: int) -> None:
    """Make a postponed event due at once (the merchant's retry); it dispatches after commit."""
    row = db.session.scalar(select(OutboxEvent).where(OutboxEvent.id == event_id))
    if row is None:
        raise NotFound("OutboxEvent")
    if row.dispatched_at is None:
        row.next_attempt_at = utcnow()
        db.session.commit()
        db.session.info.setdefault(_READY, set()).add(row.tenant_id)


def take_ready_tenants() -> set[int]:
    """Return (and forget) the tenants whose events the last commits made ready."""
    return db.session.info.pop(_READY, set())


def dispatch_pending(now: datetime | None = None, limit: int = 200) -> int:
    """Run the subscribers of this tenant's due events, oldest first, one commit per event.

    Rows are locked with SKIP LOCKED, so any number of dispatchers share the work. Returns the
    number of events fully dispatched.
    """
    done = 0
    for _ in range(limit):
        row = db.session.scalar(
            select(OutboxEvent)
            .where(
                OutboxEvent.dispatched_at.is_(None),
                OutboxEvent.next_attempt_at <= (now or utcnow()),
            )
            .order_by(OutboxEvent.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        if row is None:
            break
        done += _dispatch(row, now or utcnow())
        db.session.commit()
    return done


def _dispatch(row: OutboxEvent, now: datetime) -> int:
    occurred = DomainEvent(
        id=row.id,
        name=EventName(row.name),
        tenant_id=row.tenant_id,
        order_id=row.order_id,
        occurred_at=row.created_at,
        data=dict(row.data or {}),
    )
    for subscriber in subscribers_for(occurred.name):
        if subscriber.name in row.done:
            continue
        try:
            with db.session.begin_nested():
                subscriber.handler(occurred)
        except Exception as error:  # one failing subscriber must not lose the event
            _postpone(row, now, f"{subscriber.name}: {type(error).__name__}")
            return 0
        row.done = [*row.done, subscriber.name]
    row.dispatched_at = now
    return 1


def _postpone(row: OutboxEvent, now: datetime, error: str) -> None:
    logger.warning("event %s (%s) postponed: %s", row.id, row.name, error)
    row.attempts += 1
    row.last_error = error
    delay = BACKOFF_SECONDS[min(row.attempts, len(BACKOFF_SECONDS)) - 1]
    row.next_attempt_at = now + timedelta(seconds=delay)


@event.listens_for(Session, "after_flush")
def _note_new_events(session, flush_context) -> None:
    tenants = {obj.tenant_id for obj in session.new if isinstance(obj, OutboxEvent)}
    if tenants:
        session.info.setdefault(_PENDING, set()).update(tenants)


@event.listens_for(Session, "after_commit")
def _mark_ready(session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending:
        session.info.setdefault(_READY, set()).update(pending)


@event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back(session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the use case failed: nothing to dispatch
        session.info.pop(_PENDING, None)
