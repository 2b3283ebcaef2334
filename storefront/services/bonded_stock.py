"""Goods entering and leaving the bonded warehouse, as the monthly supervised-area report
needs them (seed 001 §12): "out" when the warehouse ships a released order, "in" when the
merchant registers goods arriving (入区登记). Each movement copies the product's HS code,
filing record number and unit as customs knew them that day."""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import select

from storefront.domain.customs.messages import CHINA_TIME
from storefront.domain.customs.states import COMPOSITE_TAGS
from storefront.domain.money import round_money
from storefront.domain.reviews import ReviewState
from storefront.extensions import db
from storefront.models import BondedStockMovement, Order, OrderLine, Product, ProductFiling
from storefront.services.errors import NotFound
from storefront.services.locks import locked

IN, OUT = "in", "out"
# The monthly report dates from Customs announcement 2014 No. 56 (seed 001 §12): an earlier
# arrival is a typing error, and a day like 0001-01-01 would be stored as an instant that the
# database driver cannot read back, breaking every page listing the movement.
EARLIEST_ARRIVAL = date(2014, 1, 1)
# What the columns hold: a movement's value is NUMERIC(14, 2), a product's stock an integer.
VALUE_LIMIT, STOCK_LIMIT = Decimal(10) ** 12, 2**31 - 1


class InboundProblem(StrEnum):
    NOT_BONDED = "not_bonded"  # not bonded stock: a composite-tag product with approved filing
    DUPLICATE = "duplicate"  # this inbound note already registered this product
    FUTURE_DATE = "future_date"  # goods cannot have arrived on a later day than today
    TOO_EARLY = "too_early"  # before the supervised-area reports began: a mistyped year
    TOO_LARGE = "too_large"  # the value or the stock it makes cannot be recorded


class InboundRefused(Exception):
    """The inbound registration was refused; nothing was written."""

    def __init__(self, problem: InboundProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True)
class Inbound:
    """Goods arriving in the bonded warehouse, as the merchant's inbound note states them."""

    product_id: int
    quantity: int
    on: date  # the day of arrival (China Standard Time)
    document_number: str
    value: Decimal | None  # None: the quantity at the product's price


def arrival(day: date) -> datetime:
    """Return the moment a note's day of arrival stands for: its midnight in China (UTC+8)."""
    return datetime.combine(day, time.min, CHINA_TIME)


def record_shipment(order: Order, who: str) -> int:
    """Write one "out" movement per line of an order the bonded warehouse shipped, once per
    line however often it is called; flush, do not commit. Return how many were written."""
    rows = db.session.execute(
        select(OrderLine, ProductFiling)
        .join(ProductFiling, ProductFiling.product_id == OrderLine.product_id)
        .where(OrderLine.order_id == order.id)
        .order_by(OrderLine.line_no)
    ).all()
    written = set(
        db.session.scalars(
            select(BondedStockMovement.product_id).where(
                BondedStockMovement.direction == OUT, BondedStockMovement.reference == order.number
            )
        )
    )
    movements = [
        _movement(filing, OUT, line.quantity, order.shipped_at, order.number, line.amount, who)
        for line, filing in rows
        if line.product_id not in written
    ]
    lines = {line.product_id: line.id for line, _filing in rows}
    for movement in movements:
        movement.order_line_id = lines[movement.product_id]
    db.session.add_all(movements)
    db.session.flush()
    return len(movements)


def register_inbound(inbound: Inbound, who: str, now: datetime) -> BondedStockMovement:
    """Register goods arriving in the bonded warehouse: the product's stock rises by the
    quantity under its row lock and the "in" movement is written in the same commit."""
    product = locked(Product, inbound.product_id)  # serialises the stock and the duplicate check
    if product is None:
        raise NotFound("Product")
    filing = db.session.scalar(
        select(ProductFiling).where(
            ProductFiling.product_id == product.id,
            ProductFiling.review_state == ReviewState.APPROVED,
        )
    )
    if product.tax_tag not in COMPOSITE_TAGS or filing is None:
        raise InboundRefused(InboundProblem.NOT_BONDED)
    if inbound.on > now.astimezone(CHINA_TIME).date():
        raise InboundRefused(InboundProblem.FUTURE_DATE)
    if inbound.on < EARLIEST_ARRIVAL:
        raise InboundRefused(InboundProblem.TOO_EARLY)
    if _registered(product.id, inbound.document_number):
        raise InboundRefused(InboundProblem.DUPLICATE)
    value = inbound.value
    if value is None:
        value = round_money(product.price * inbound.quantity)
    if value >= VALUE_LIMIT or product.stock + inbound.quantity > STOCK_LIMIT:
        raise InboundRefused(InboundProblem.TOO_LARGE)
    movement = _movement(
        filing, IN, inbound.quantity, arrival(inbound.on), inbound.document_number, value, who
    )
    db.session.add(movement)
    product.stock += inbound.quantity
    db.session.commit()
    return movement


def _registered(product_id: int, document_number: str) -> bool:
    return (
        db.session.scalar(
            select(BondedStockMovement.id).where(
                BondedStockMovement.direction == IN,
                BondedStockMovement.reference == document_number,
                BondedStockMovement.product_id == product_id,
            )
        )
        is not None
    )


def _movement(filing: ProductFiling, direction, quantity, at, reference, value, who):
    return BondedStockMovement(
        product_id=filing.product_id,
        direction=direction,
        quantity=quantity,
        at=at,
        reference=reference,
        hs_code=filing.hs_code,
        record_no=filing.record_no,
        unit=filing.unit,
        value=value,
        recorded_by=who,
    )
