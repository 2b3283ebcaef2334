"""Reconciliation (对账, SPEC §8, seed 004 [0016]-[0019]): run a period for one tenant or all,
and resolve a mismatch with a note. The matching itself is reconciliation_matching's
statements: a fixed number per tenant, whatever the number of orders."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone

from flask import current_app
from sqlalchemy import select

from storefront.extensions import db
from storefront.models import Tenant
from storefront.models.reconciliation import Kind, ReconMismatch, ReconRun
from storefront.models.types import utcnow
from storefront.services import reconciliation_matching as matching
from storefront.services import reconciliation_mismatches as found
from storefront.services.errors import NotFound
from storefront.services.locks import locked
from storefront.tenancy import system_context

CHINA = timezone(timedelta(hours=8), "CST")  # periods are China Standard Time days


@dataclass(frozen=True)
class Summary:
    """What a run counted across the tenants it reconciled."""

    orders: int
    matched: int
    mismatches: dict[str, int] = field(default_factory=dict)
    runs: tuple[int, ...] = ()

    def line(self) -> str:
        """Return the one-line summary: orders, matched, mismatches by kind."""
        kinds = ", ".join(f"{kind} {self.mismatches.get(kind, 0)}" for kind in Kind)
        return f"{self.orders} orders, {self.matched} matched; mismatches: {kinds}"


# The days a period can name: the first China midnight must exist in UTC, and the day after
# the last must exist at all (a typed 0001-01-01 or 9999-12-31 means "from/to any time").
FIRST_DAY, LAST_DAY = date.min + timedelta(days=1), date.max - timedelta(days=1)


def period_bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    """Return the UTC instants [start, end) of the China Standard Time days from..to."""
    start = datetime.combine(max(date_from, FIRST_DAY), time(), CHINA)
    end = datetime.combine(min(date_to, LAST_DAY) + timedelta(days=1), time(), CHINA)
    return start.astimezone(UTC), end.astimezone(UTC)


def run(
    tenant_id: int | None, date_from: date, date_to: date, who: str, now: datetime | None = None
) -> Summary:
    """Reconcile the period for one tenant (None: every tenant): write the records of the
    orders customs released in it, find and refresh the mismatches, clear those gone."""
    if date_to < date_from:
        raise ValueError("the period ends before it starts")
    now = now or utcnow()
    days = current_app.config["RECON_RECEIPT_DAYS"]
    start, end = period_bounds(date_from, date_to)
    total = Summary(0, 0, {kind.value: 0 for kind in Kind})
    with system_context():
        tenants = _tenants(tenant_id)
        for one in tenants:
            summary = _run_tenant(one, (date_from, date_to), (start, end), who, now, days)
            total = _add(total, summary)
        db.session.commit()
    return total


def _tenants(tenant_id: int | None) -> list[int]:
    statement = select(Tenant.id).order_by(Tenant.id)
    if tenant_id is not None:
        statement = statement.where(Tenant.id == tenant_id)
    found = list(db.session.scalars(statement))
    if tenant_id is not None and not found:
        raise NotFound("Tenant")
    return found


def _run_tenant(tenant_id, dates, bounds, who, now, days) -> Summary:
    """Run the statements for one tenant; flush only (the caller commits once)."""
    row = ReconRun(
        tenant_id=tenant_id, period_from=dates[0], period_to=dates[1], run_at=now, who=who
    )
    row.counts = {}
    db.session.add(row)
    db.session.flush()
    dialect = db.session.get_bind().dialect.name
    scope = matching.Scope(tenant_id, bounds[0], bounds[1], row.id, dialect)
    session = db.session
    with matching.bulk_plan(session, dialect):
        session.execute(matching.upsert_records(scope))
    for statement in (
        found.paid_not_declared(scope),
        found.tax_differs(scope),
        found.payment_without_order(scope),
        found.no_receipt(scope, now - timedelta(days=days)),
        found.refund_not_declared(scope),
        found.settlement_missing(scope),
    ):
        session.execute(statement)
    session.execute(found.clear_gone(scope))
    records, per_kind = found.counts(scope)
    orders, matched = session.execute(records).one()
    by_kind = {kind.value: 0 for kind in Kind} | dict(session.execute(per_kind).tuples().all())
    row.counts = {"orders": orders, "matched": matched, "mismatches": by_kind}
    session.flush()
    return Summary(orders, matched, by_kind, (row.id,))


def _add(total: Summary, one: Summary) -> Summary:
    kinds = {kind: total.mismatches.get(kind, 0) + one.mismatches.get(kind, 0) for kind in Kind}
    return Summary(
        total.orders + one.orders, total.matched + one.matched, kinds, total.runs + one.runs
    )


class AlreadyResolved(ValueError):
    """The mismatch was resolved before: that resolution (who, when, note) is kept as it is."""


def resolve(mismatch_id: int, who: str, note: str, now: datetime | None = None) -> ReconMismatch:
    """Mark the tenant's mismatch resolved with a note; the row stays (the audit trail), and
    a second resolution (a stale page, a double submission) is refused, not written over."""
    note = note.strip()
    if not note:
        raise ValueError("a resolution needs a note")
    mismatch = locked(ReconMismatch, mismatch_id)  # two resolutions at once: the second waits
    if mismatch is None:
        raise NotFound("ReconMismatch")
    if mismatch.resolved_at is not None:
        raise AlreadyResolved(mismatch_id)
    mismatch.resolved_by = who
    mismatch.resolved_at = now or utcnow()
    mismatch.note = note[:2000]
    db.session.commit()
    return mismatch
