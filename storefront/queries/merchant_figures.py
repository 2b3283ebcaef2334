"""The merchant dashboard's series, aggregated in SQL over the order list's own filters.

Days are China days (UTC+8, SPEC §3: limits and order numbers count China dates too). Sales
(GMV) are the totals of orders that were paid (paid_at set), refunds included, as platforms
report GMV; order counts include every placed order.
"""

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Date, case, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from storefront.domain.customs.states import State
from storefront.domain.orders import OrderStatus
from storefront.extensions import db
from storefront.models import CheckoutRefusal, CustomsDeclaration, OrderLine
from storefront.queries.orders import CHINA, OrderFilters, console_orders_statement

DEFAULT_DAYS = 30
MAX_DAYS = 366  # one column per day: a wider range is cut to its last year
TOP = 10
ZERO = Decimal("0.00")


class china_date(FunctionElement):  # lower case: it reads as the SQL function it renders
    """The China date (UTC+8) of a UTC timestamp, computed by the database."""

    type = Date()
    inherit_cache = True


@compiles(china_date, "postgresql")
def _china_date_postgresql(element, compiler, **kw):
    return f"(timezone('Asia/Shanghai', {compiler.process(element.clauses, **kw)}))::date"


@compiles(china_date, "sqlite")
def _china_date_sqlite(element, compiler, **kw):
    # the demo's SQLite keeps UTC text; China has kept UTC+8 without summer time since 1992
    return f"date({compiler.process(element.clauses, **kw)}, '+8 hours')"


@dataclass(frozen=True)
class DayFigures:
    day: date
    orders: int
    sales: Decimal


@dataclass(frozen=True)
class ProductFigures:
    product_id: int
    name: str
    quantity: int
    amount: Decimal


def china_today(moment) -> date:
    """Return the China date of an aware moment."""
    return moment.astimezone(CHINA).date()


def dashboard_filters(filters: OrderFilters, today: date) -> OrderFilters:
    """Fill the date range: last 30 China days by default, at most a year, earlier day first."""
    end = filters.date_to or today
    start = filters.date_from or _days_before(end, DEFAULT_DAYS - 1)
    if start > end:
        start, end = end, start
    start = max(start, _days_before(end, MAX_DAYS - 1))
    return replace(filters, date_from=start, date_to=end)


def _days_before(day: date, days: int) -> date:
    """Return `days` days before `day`, or the first date there is (?to=0001-01-05 is typed)."""
    return day - timedelta(days=min(days, (day - date.min).days))


def _orders(filters: OrderFilters):
    """The order list's own statement (same filters, same tenant) as a subquery."""
    return console_orders_statement(filters).order_by(None).subquery()


def sales_by_day(filters: OrderFilters) -> list[DayFigures]:
    """Return orders placed and sales (paid orders' totals) for every day of the range."""
    orders = _orders(filters)
    day = china_date(orders.c.placed_at)
    paid_total = case((orders.c.paid_at.is_not(None), orders.c.total), else_=0)
    rows = db.session.execute(
        select(day, func.count(), func.coalesce(func.sum(paid_total), 0)).group_by(day)
    ).all()
    found = {_as_date(row[0]): (row[1], Decimal(row[2])) for row in rows}
    days = (filters.date_to - filters.date_from).days + 1
    result = []
    for offset in range(days):
        current = filters.date_from + timedelta(days=offset)
        count, sales = found.get(current, (0, ZERO))
        result.append(DayFigures(current, count, sales.quantize(ZERO)))
    return result


def orders_by_status(filters: OrderFilters) -> list[tuple[str, int]]:
    """Return (status, orders) for the statuses present, in the lifecycle's order."""
    orders = _orders(filters)
    rows = dict(
        db.session.execute(select(orders.c.status, func.count()).group_by(orders.c.status)).all()
    )
    return [(status.value, rows[status]) for status in OrderStatus if status in rows]


def orders_by_customs_state(filters: OrderFilters) -> list[tuple[str, int]]:
    """Return (customs state, orders) for the filtered orders that have a declaration."""
    orders = _orders(filters)
    statement = (
        select(CustomsDeclaration.state, func.count())
        .join(orders, orders.c.id == CustomsDeclaration.order_id)
        .group_by(CustomsDeclaration.state)
    )
    rows = dict(db.session.execute(statement).all())
    return [(state.value, rows[state]) for state in State if state in rows]


def refusals_by_rule(filters: OrderFilters) -> list[tuple[str, int]]:
    """Return (rule, refused placements) in the date range, most frequent first.

    A refusal made no order: only the date range applies, not the order filters.
    """
    day = china_date(CheckoutRefusal.refused_at)
    statement = (
        select(CheckoutRefusal.rule, func.count().label("n"))
        .where(day >= filters.date_from, day <= filters.date_to)
        .group_by(CheckoutRefusal.rule)
        .order_by(func.count().desc(), CheckoutRefusal.rule)
    )
    return [(rule, count) for rule, count in db.session.execute(statement).all()]


def top_products(filters: OrderFilters, by: str) -> list[ProductFigures]:
    """Return the ten products sold most in paid orders, `by` "quantity" or "amount"."""
    orders = _orders(filters)
    quantity, amount = func.sum(OrderLine.quantity), func.sum(OrderLine.amount)
    first, second = (quantity, amount) if by == "quantity" else (amount, quantity)
    statement = (
        select(OrderLine.product_id, func.max(OrderLine.name), quantity, amount)
        .join(orders, orders.c.id == OrderLine.order_id)
        .where(orders.c.paid_at.is_not(None))
        .group_by(OrderLine.product_id)
        .order_by(first.desc(), second.desc(), OrderLine.product_id)
        .limit(TOP)
    )
    return [
        ProductFigures(product_id, name, int(units), Decimal(total).quantize(ZERO))
        for product_id, name, units, total in db.session.execute(statement).all()
    ]


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)
