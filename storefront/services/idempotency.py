"""Idempotency keys: a retried request gets the first answer, and runs the use case never again.

`claim` inserts the (tenant, credential, key) row first and commits it: of two concurrent
requests with one key exactly one inserts and runs; the other sees the row. `finish`
stores the answer, `release` drops the claim when the request failed unexpectedly, so a
retry may run. A claim left in flight longer than any request runs (its worker was killed
before `finish` or `release`) is taken over by the next same request: without that, every
retry would wait for an answer that never comes.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from storefront.extensions import db
from storefront.models.api import IdempotencyRecord
from storefront.models.types import utcnow
from storefront.tenancy import require_tenant_id, system_context

# Longer than a request may run (gunicorn kills a worker silent for 30 s by default): a claim
# still in flight after this is abandoned. The use cases behind keys stay safe to run again
# (a placement finds its checkout by the key, a payment reuses the checkout's live one).
ABANDONED_AFTER = timedelta(minutes=2)
# Retries come within minutes, at most hours; a stored answer may hold a payment's client
# secret, so keys are kept a day (as payment providers keep theirs) and then deleted.
KEPT_FOR = timedelta(hours=24)


@dataclass(frozen=True)
class Claim:
    """The outcome of a claim: ours to run (`record_id`), or someone else's."""

    record_id: int | None = None
    same_request: bool = True
    status: int | None = None  # the stored answer's status; None: still running
    body: str | None = None


def claim(credential: str, key: str, request_hash: str) -> Claim:
    """Insert the key's row (ours to run) or return the one already there."""
    tenant_id = require_tenant_id()
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(IdempotencyRecord)
        .values(tenant_id=tenant_id, credential=credential, key=key, request_hash=request_hash)
        .on_conflict_do_nothing()
        .returning(IdempotencyRecord.id)
    )
    with system_context():  # a Core insert with the tenant set explicitly above
        inserted = db.session.execute(statement).scalar_one_or_none()
    db.session.commit()
    if inserted is not None:
        return Claim(record_id=inserted)
    found = db.session.scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.credential == credential, IdempotencyRecord.key == key
        )
    )
    if found is None:  # released between our insert attempt and this read: try once more
        return claim(credential, key, request_hash)
    same_request = found.request_hash == request_hash
    if same_request and found.status is None and _take_over(found.id):
        return Claim(record_id=found.id)
    return Claim(same_request=same_request, status=found.status, body=found.body)


def _take_over(record_id: int) -> bool:
    """Claim an abandoned in-flight record for this request; False if it is not abandoned."""
    now = utcnow()
    taken = db.session.execute(
        update(IdempotencyRecord)
        .where(
            IdempotencyRecord.id == record_id,
            IdempotencyRecord.status.is_(None),
            IdempotencyRecord.created_at < now - ABANDONED_AFTER,
        )
        .values(created_at=now)
        .returning(IdempotencyRecord.id)
    ).scalar_one_or_none()
    db.session.commit()
    return taken is not None


def finish(record_id: int, status: int, body: str) -> None:
    """Store the answer a replay of the key returns."""
    db.session.execute(
        update(IdempotencyRecord)
        .where(IdempotencyRecord.id == record_id)
        .values(status=status, body=body)
    )
    db.session.commit()


def release(record_id: int) -> None:
    """Drop a claim whose request failed unexpectedly, so that a retry runs."""
    db.session.rollback()
    db.session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.id == record_id))
    db.session.commit()


def purge_expired(now: datetime) -> int:
    """Delete this store's keys older than KEPT_FOR, answered or abandoned; return how many."""
    deleted = db.session.execute(
        delete(IdempotencyRecord).where(IdempotencyRecord.created_at < now - KEPT_FOR)
    ).rowcount
    db.session.commit()
    return deleted
