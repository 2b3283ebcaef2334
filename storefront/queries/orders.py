"""Order lookups for the shopper's pages and the merchant console (lists and exports)."""

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from storefront.extensions import db
from storefront.models import Checkout, Order, Payment

CHINA = ZoneInfo("Asia/Shanghai")


def shopper_checkout_or_404(shopper, checkout_id: int) -> Checkout:
    return db.first_or_404(
        select(Checkout).where(Checkout.id == checkout_id, Checkout.shopper_id == shopper.id)
    )


def shopper_order_or_404(shopper, order_id: int) -> Order:
    return db.first_or_404(
        select(Order)
        .where(Order.id == order_id, Order.shopper_id == shopper.id)
        .options(selectinload(Order.lines), selectinload(Order.events))
    )


def shopper_orders(shopper, status: str | None, page: int, per_page: int):
    statement = shopper_orders_statement(shopper.id, status).order_by(Order.id.desc())
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def shopper_orders_statement(shopper_id: int, status: str | None):
    """The shopper's orders, of one status if given, with their lines (unordered)."""
    statement = select(Order).where(Order.shopper_id == shopper_id)
    if status:
        statement = statement.where(Order.status == status)
    return statement.options(selectinload(Order.lines))


@dataclass(frozen=True)
class OrderFilters:
    status: str | None = None
    tag: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    buyer: str = ""
    number: str = ""


def console_orders_statement(filters: OrderFilters):
    """The merchant's orders matching the filters, newest first (lists and exports)."""
    statement = select(Order).options(selectinload(Order.lines), selectinload(Order.supplier))
    if filters.status:
        statement = statement.where(Order.status == filters.status)
    if filters.tag == "none":
        statement = statement.where(Order.tax_tag.is_(None))
    elif filters.tag:
        statement = statement.where(Order.tax_tag == filters.tag)
    if filters.date_from:
        start = datetime.combine(filters.date_from, time.min, CHINA)
        statement = statement.where(Order.placed_at >= start)
    if filters.date_to:
        end = datetime.combine(filters.date_to, time.max, CHINA)
        statement = statement.where(Order.placed_at <= end)
    if filters.buyer:
        pattern = f"%{filters.buyer}%"
        statement = statement.where(
            or_(
                Order.buyer_name.ilike(pattern),
                Order.buyer_phone.ilike(pattern),
                Order.consignee.ilike(pattern),
            )
        )
    if filters.number:
        statement = statement.where(Order.number.ilike(f"%{filters.number}%"))
    return statement.order_by(Order.id.desc())


def console_orders(filters: OrderFilters, page: int, per_page: int):
    return db.paginate(
        console_orders_statement(filters), page=page, per_page=per_page, error_out=False
    )


def console_order_or_404(order_id: int) -> Order:
    return db.first_or_404(
        select(Order)
        .where(Order.id == order_id)
        .options(selectinload(Order.lines), selectinload(Order.events))
    )


def order_payment(order: Order) -> Payment | None:
    """The payment of the order's checkout: the successful one, else the latest attempt."""
    payments = db.session.scalars(
        select(Payment).where(Payment.checkout_id == order.checkout_id).order_by(Payment.id)
    ).all()
    return next(
        (p for p in payments if p.status == "succeeded"), payments[-1] if payments else None
    )
