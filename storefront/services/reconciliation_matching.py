"""The reconciliation run's statements: each builds, from what was stored, one set-based
INSERT ... SELECT (an upsert) or UPDATE for one tenant and period. No statement depends on the
number of orders: the run's cost is a fixed handful of statements (issue 12, "inside").

They run inside system_context() (Core inserts on tenant tables are refused elsewhere), so each
names its tenant explicitly; row-level security still checks every row written.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    DateTime,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased

from storefront.models import CustomsDeclaration, Order, Payment
from storefront.models.customs import CustomsTaxBill
from storefront.models.reconciliation import ReconRecord

# A payment counts once the provider confirmed it; a later refund keeps it paid (payments.py).
PAID = ("succeeded", "refunded")
VOID_BILL = "3"  # CEB816 TaxHeadRd status: 1 generated, 2 summarised, 3 void (NOTES §3.3)
YUAN = "CNY"  # order figures are yuan (models/types.Money)
# The fields of seed 004 [0018]/[0019] a run compares: a change of any is "what changed".
DATA_FIELDS = (
    "released_at",
    "order_number",
    "payment_serial",
    "waybill_number",
    "filing_serial",
    "ordered_at",
    "paid_at",
    "tax_withheld",
    "buyer_name",
    "total_paid",
    "goods_amount",
    "settlement_currency",
    "settlement_amount",
    "exchange_rate",
    "freight",
    "freight_currency",
    "goods_and_freight",
    "deducted_at",
    "tax_deducted",
    "tax_refunded",
)


@dataclass(frozen=True)
class Scope:
    """One tenant's period, as UTC instants [start, end), and the run writing it."""

    tenant_id: int
    start: datetime
    end: datetime
    run_id: int
    dialect: str


@contextmanager
def bulk_plan(session, dialect: str) -> Iterator[None]:
    """Plan the records' join with hash joins on PostgreSQL, for this statement only.

    The row-level security qual on every table (migration 0012) hides the period's size from
    the planner, which then nests loops over aggregated subqueries: quadratic in the orders
    (measured: 8 s for 5,000). Hash joins read each table once whatever the estimate.
    """
    if dialect != "postgresql":
        yield
        return
    session.execute(text("SET LOCAL enable_nestloop = off"))
    try:
        yield
    finally:
        session.execute(text("SET LOCAL enable_nestloop = on"))


def insert_for(scope: Scope, table):
    """Return the dialect's INSERT, the one with ON CONFLICT (PostgreSQL, SQLite demo)."""
    module = postgresql if scope.dialect == "postgresql" else sqlite
    return module.insert(table)


def released_in(scope: Scope):
    return and_(
        CustomsDeclaration.tenant_id == scope.tenant_id,
        CustomsDeclaration.released_at >= scope.start,
        CustomsDeclaration.released_at < scope.end,
    )


def _released_checkouts(scope: Scope):
    cleared = aliased(Order)
    return (
        select(cleared.checkout_id)
        .join(CustomsDeclaration, CustomsDeclaration.order_id == cleared.id)
        .where(released_in(scope), cleared.tenant_id == scope.tenant_id)
    )


def _siblings(scope: Scope):
    """Each order of a checkout with a cleared order: its place among the checkout's orders
    and the checkout's declared total (one payment pays them all)."""
    window = {"partition_by": Order.checkout_id}
    return (
        select(
            Order.id.label("order_id"),
            func.row_number().over(order_by=Order.id, **window).label("position"),
            func.count().over(**window).label("orders"),
            func.sum(Order.total).over(**window).label("checkout_total"),
        )
        .where(Order.tenant_id == scope.tenant_id)
        .where(Order.checkout_id.in_(_released_checkouts(scope)))
        .subquery("siblings")
    )


def _payments(scope: Scope):
    """The latest confirmed payment of each checkout (as customs_facts._payment picks it)."""
    return (
        select(Payment.checkout_id, func.max(Payment.id).label("id"))
        .where(
            Payment.tenant_id == scope.tenant_id,
            Payment.status.in_(PAID),
            Payment.paid_at.is_not(None),
            Payment.checkout_id.in_(_released_checkouts(scope)),
        )
        .group_by(Payment.checkout_id)
        .subquery("latest_payments")
    )


def _bills(scope: Scope):
    """Per declaration: the tax actually deducted, the tax given back to the buyer and when
    customs last deducted (seed 004 [0019]). The SQL form of domain tax_deducted: per tax
    number its latest bill counts (nothing if void, NOTES §3.3); what its first non-void bill
    deducted beyond that went back to the buyer."""
    bill = CustomsTaxBill
    total = bill.customs_tax + bill.value_added_tax + bill.consumption_tax
    void = bill.status == VOID_BILL
    ranked = (
        select(
            bill.declaration_id,
            bill.return_time,
            case((void, 0), else_=total).label("now"),
            func.first_value(case((void, None), else_=total))
            .over(
                partition_by=bill.tax_no,
                order_by=(case((void, 1), else_=0), bill.return_time),
                rows=(None, None),
            )
            .label("first"),
            func.row_number()
            .over(partition_by=bill.tax_no, order_by=(bill.return_time.desc(), bill.id.desc()))
            .label("newest"),
        )
        .where(bill.tenant_id == scope.tenant_id)
        .subquery("ranked_bills")
    )
    back = func.coalesce(ranked.c.first, 0) - ranked.c.now
    return (
        select(
            ranked.c.declaration_id,
            func.max(ranked.c.return_time).label("return_time"),
            func.sum(ranked.c.now).label("deducted"),
            func.sum(case((back > 0, back), else_=0)).label("refunded"),
        )
        .where(ranked.c.newest == 1)
        .group_by(ranked.c.declaration_id)
        .subquery("bills")
    )


def china_time(scope: Scope, stamp):
    """Return customs' 17-digit China-time stamp (YYYYMMDDhhmmssSSS) as an instant."""
    if scope.dialect == "postgresql":
        local = func.to_timestamp(stamp, "YYYYMMDDHH24MISSMS").cast(DateTime(timezone=False))
        return local.op("AT TIME ZONE")("Asia/Shanghai")
    parts = [func.substr(stamp, start, size) for start, size in _STAMP]
    text = parts[0]
    for glue, part in zip("-- ::", parts[1:], strict=True):
        text = text + text_value(glue) + part
    return func.datetime(text, "-8 hours")  # the SQLite demo: UTC text


_STAMP = ((1, 4), (5, 2), (7, 2), (9, 2), (11, 2), (13, 2))


def text_value(value: str):
    return literal(value, String)


def record_rows(scope: Scope):
    """Select the transaction and tax record of every order customs released in the period."""
    siblings, latest, bills = _siblings(scope), _payments(scope), _bills(scope)
    paid = aliased(Payment)
    base_serial = func.coalesce(
        paid.serial_number, paid.reference, text_value("P") + cast(paid.id, String)
    )
    # customs keys payments by serial: each order of a shared checkout appends its place
    # (customs_facts._payment, NOTES §4)
    serial = case(
        (siblings.c.orders > 1, base_serial + text_value("-") + cast(siblings.c.position, String)),
        else_=base_serial,
    )
    # the payment less what the checkout's other orders declared: the order's own share
    total_paid = paid.amount - (siblings.c.checkout_total - Order.total)
    # the yuan paid bought the settlement currency at the returned rate (seed 004 [0018] 购汇汇率)
    settlement = func.round(total_paid / func.coalesce(paid.exchange_rate, Decimal(1)), 2)
    return (
        select(
            literal(scope.tenant_id).label("tenant_id"),
            Order.id.label("order_id"),
            CustomsDeclaration.released_at.label("released_at"),
            Order.number.label("order_number"),
            serial.label("payment_serial"),
            CustomsDeclaration.waybill_number.label("waybill_number"),
            # 报备流水号: customs' inventory number (invtNo, CEB622) that the tax bill also
            # carries; preNo (the e-port's pre-entry number) only if customs gave none
            func.coalesce(CustomsDeclaration.invt_no, CustomsDeclaration.pre_no).label(
                "filing_serial"
            ),
            Order.placed_at.label("ordered_at"),
            paid.paid_at.label("paid_at"),
            Order.tax_due.label("tax_withheld"),
            Order.buyer_name.label("buyer_name"),
            total_paid.label("total_paid"),
            Order.goods_total.label("goods_amount"),
            paid.currency.label("settlement_currency"),
            settlement.label("settlement_amount"),
            paid.exchange_rate.label("exchange_rate"),
            Order.freight.label("freight"),
            text_value(YUAN).label("freight_currency"),
            (Order.goods_total + Order.freight).label("goods_and_freight"),
            china_time(scope, bills.c.return_time).label("deducted_at"),
            bills.c.deducted.label("tax_deducted"),
            bills.c.refunded.label("tax_refunded"),
            literal(scope.run_id).label("first_run_id"),
            literal(scope.run_id).label("changed_run_id"),
            text_value("").label("changes"),
        )
        .select_from(CustomsDeclaration)
        .join(Order, Order.id == CustomsDeclaration.order_id)
        .join(siblings, siblings.c.order_id == Order.id)
        .outerjoin(latest, latest.c.checkout_id == Order.checkout_id)
        .outerjoin(paid, paid.id == latest.c.id)
        .outerjoin(bills, bills.c.declaration_id == CustomsDeclaration.id)
        .where(released_in(scope), Order.tenant_id == scope.tenant_id)
    )


def upsert_records(scope: Scope):
    """Write the period's records; a record whose fields all stay is left as it was, one that
    changed names the run and the fields (a late tax bill or refund shows as a change)."""
    rows = record_rows(scope)
    names = [column.name for column in rows.selected_columns]
    statement = insert_for(scope, ReconRecord.__table__).from_select(names, rows)
    stored, new = ReconRecord.__table__.c, statement.excluded
    differs = [stored[name].is_distinct_from(new[name]) for name in DATA_FIELDS]
    changes = text_value("")
    for name, changed in zip(DATA_FIELDS, differs, strict=True):
        changes = changes + case((changed, text_value(f"{name},")), else_=text_value(""))
    values = {name: new[name] for name in DATA_FIELDS}
    return statement.on_conflict_do_update(
        index_elements=["tenant_id", "order_id"],
        set_={**values, "changed_run_id": scope.run_id, "changes": changes},
        where=or_(*differs),
    )
