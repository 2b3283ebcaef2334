"""The platform-wide quota ledger: reserve on placement, release on cancel/reject/refund.

Usage is read and reserved under a row lock on the person (taken by an upsert on
PostgreSQL), so two checkouts of one person queue up and can never together pass a limit.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, case, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from storefront.crypto import identity_hash
from storefront.domain.money import round_money
from storefront.extensions import db
from storefront.models import BuyerIdentity
from storefront.models.ledger import QuotaMovement, QuotaPerson
from storefront.tenancy import require_tenant_id

# Customs counts calendar years and days in China time.
CHINA = ZoneInfo("Asia/Shanghai")
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Usage:
    annual: Decimal
    day: Decimal


def person_hash(id_number: str) -> str:
    """Return the keyed hash that stands for a person in the ledger."""
    return identity_hash(id_number)


def china_day(moment: datetime) -> date:
    return moment.astimezone(CHINA).date()


def usage(person: str, moment: datetime) -> Usage:
    """Return the person's annual and same-day use at `moment` (no lock)."""
    values = {"person": person, **_day_values(moment)}
    return _usage(*db.session.execute(_usage_statement(), values).one())


def identity_with_usage(
    shopper_id: int, identity_id: int | None, moment: datetime
) -> tuple[BuyerIdentity | None, Usage | None]:
    """Return the shopper's identity `identity_id` (else their first, else None) and its
    person's use at `moment` (no lock), in one statement: every cart quote reads both."""
    values = {"shopper_id": shopper_id, "identity_id": identity_id, **_day_values(moment)}
    row = db.session.execute(_identity_statement(bool(identity_id)), values).one_or_none()
    return (row[0], _usage(*row[1:])) if row else (None, None)


def _day_values(moment: datetime) -> dict:
    day = china_day(moment)
    return {"day": day, "year": day.year}


def _usage(annual, daily) -> Usage:
    return Usage(round_money(Decimal(annual)), round_money(Decimal(daily)))


def _sums() -> tuple:
    """The annual and same-day sums of a person's movements of the year (bound: day, year):
    the day is inside the year, so the year's rows hold both."""
    same_day = QuotaMovement.day == bindparam("day", type_=QuotaMovement.day.type)
    return (
        func.coalesce(func.sum(QuotaMovement.annual_amount), 0),
        func.coalesce(func.sum(case((same_day, QuotaMovement.day_amount), else_=0)), 0),
    )


# Both statements are built once per process: every cart quote runs one of them.


@cache
def _usage_statement():
    return select(*_sums()).where(
        QuotaMovement.person_hash == bindparam("person"), QuotaMovement.year == bindparam("year")
    )


@cache
def _identity_statement(chosen: bool):
    person = (
        QuotaMovement.person_hash == BuyerIdentity.id_number_hash,
        QuotaMovement.year == bindparam("year"),
    )
    annual, daily = (select(total).where(*person).scalar_subquery() for total in _sums())
    statement = select(BuyerIdentity, annual, daily).where(
        BuyerIdentity.shopper_id == bindparam("shopper_id")
    )
    if chosen:
        statement = statement.where(BuyerIdentity.id == bindparam("identity_id"))
    return statement.order_by(BuyerIdentity.id).limit(1)


def lock_person(person: str) -> None:
    """Create the person's ledger row if missing and lock it until the transaction ends."""
    dialect = db.session.get_bind().dialect.name
    db.session.execute(_lock_statement(dialect), {"person": person})


@cache
def _lock_statement(dialect: str):
    """One round trip, built once per process (every placement runs it): DO UPDATE locks the
    existing row as SELECT ... FOR UPDATE does (the key is rewritten with itself), and a new
    row is its inserter's until that one commits."""
    insert = (pg_insert if dialect == "postgresql" else sqlite_insert)(QuotaPerson)
    return insert.values(person_hash=bindparam("person")).on_conflict_do_update(
        index_elements=[QuotaPerson.person_hash],
        set_={"person_hash": insert.excluded.person_hash},
    )


def reserve(person: str, order, annual: Decimal, day_amount: Decimal, moment: datetime) -> None:
    """Record the order's reservation (call with the person locked)."""
    _move(person, order, annual, day_amount, china_day(moment), "reserve")


def release(order, reason: str, share: Decimal = Decimal(1)) -> None:
    """Release `share` (1 = all) of what the order still holds, e.g. a refunded part."""
    held_annual, held_day, person, day = _held(order.id)
    if person is None or (held_annual <= 0 and held_day <= 0):
        return
    lock_person(person)
    # counted against the day and year the order was placed in
    _move(
        person,
        order,
        -round_money(held_annual * share),
        -round_money(held_day * share),
        day,
        reason,
    )


def retake(order, annual_limit: Decimal, reason: str) -> bool:
    """Hold again what the order's reservation held before a release (a corrected customs
    declaration counts again); False, holding nothing, if that would pass `annual_limit`."""
    reserved = db.session.scalar(
        select(QuotaMovement).where(
            QuotaMovement.order_id == order.id, QuotaMovement.reason == "reserve"
        )
    )
    if reserved is None:
        return True
    lock_person(reserved.person_hash)  # then read what it holds: retakes queue here
    held_annual, held_day, person, day = _held(order.id)
    missing_annual = reserved.annual_amount - held_annual
    if missing_annual <= 0:
        return True
    used = db.session.scalar(
        select(func.coalesce(func.sum(QuotaMovement.annual_amount), 0)).where(
            QuotaMovement.person_hash == person, QuotaMovement.year == day.year
        )
    )
    if Decimal(used) + missing_annual > annual_limit:
        return False
    _move(person, order, missing_annual, reserved.day_amount - held_day, day, reason)
    return True


def _move(person, order, annual, day_amount, day: date, reason) -> None:
    movement = QuotaMovement(
        person_hash=person,
        year=day.year,
        day=day,
        annual_amount=annual,
        day_amount=day_amount,
        reason=reason,
    )
    if order.id is None:  # placed in this use case: written with it, as this tenant's
        movement.order, movement.tenant_id = order, require_tenant_id()
    else:
        movement.order_id, movement.tenant_id = order.id, order.tenant_id
    db.session.add(movement)


def _held(order_id: int):
    reservation = db.session.scalar(
        select(QuotaMovement).where(
            QuotaMovement.order_id == order_id, QuotaMovement.reason == "reserve"
        )
    )
    if reservation is None:
        return ZERO, ZERO, None, None
    annual, daily = db.session.execute(
        select(func.sum(QuotaMovement.annual_amount), func.sum(QuotaMovement.day_amount)).where(
            QuotaMovement.order_id == order_id
        )
    ).one()
    return Decimal(annual), Decimal(daily), reservation.person_hash, reservation.day
