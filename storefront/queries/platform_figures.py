"""The platform operator's figures across merchants: GROUP BY in SQL, inside system_context.

Orders and sales count as on the merchant dashboard (storefront.queries.merchant_figures): China
days, sales are paid orders' totals. Customs exceptions are declarations customs returned
(State.REJECTED) and not yet resent, whatever their date: they wait for the merchant now.
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import case, func, or_, select

from storefront.domain.customs.states import State
from storefront.domain.reviews import ReviewState
from storefront.extensions import db
from storefront.models import CustomsDeclaration, Order, Tenant
from storefront.queries.orders import CHINA
from storefront.services import reviews
from storefront.tenancy import system_context

SORTS = ("name", "orders", "sales", "exceptions", "pending")
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class MerchantRow:
    tenant_id: int
    name: str
    slug: str
    suspended: bool
    orders: int
    sales: Decimal
    exceptions: int
    pending: int


def merchant_overview(
    start: date, end: date, search: str = "", sort: str = "name", descending: bool = False
) -> list[MerchantRow]:
    """Return every merchant with its orders and sales in the China days start..end, its open
    customs exceptions and its items waiting for review; searched by name or slug, sorted."""
    orders, exceptions, pending = _orders(start, end), _exceptions(), _pending()
    columns = {
        "name": Tenant.name,
        "orders": func.coalesce(orders.c.orders, 0),
        "sales": func.coalesce(orders.c.sales, 0),
        "exceptions": func.coalesce(exceptions.c.exceptions, 0),
        "pending": func.coalesce(pending.c.pending, 0) if pending is not None else 0,
    }
    statement = select(
        Tenant.id, Tenant.name, Tenant.slug, Tenant.suspended_at.is_not(None), *_values(columns)
    )
    statement = statement.outerjoin(orders, orders.c.tenant_id == Tenant.id).outerjoin(
        exceptions, exceptions.c.tenant_id == Tenant.id
    )
    if pending is not None:
        statement = statement.outerjoin(pending, pending.c.tenant_id == Tenant.id)
    if search:
        pattern = f"%{search}%"
        statement = statement.where(or_(Tenant.name.ilike(pattern), Tenant.slug.ilike(pattern)))
    key = columns[sort if sort in SORTS else "name"]
    statement = statement.order_by(key.desc() if descending else key.asc(), Tenant.id)
    with system_context():
        rows = db.session.execute(statement).all()
    return [
        MerchantRow(
            row[0], row[1], row[2], row[3], row[4], Decimal(row[5]).quantize(ZERO), *row[6:]
        )
        for row in rows
    ]


def pending_reviews_by_kind() -> dict[str, int]:
    """Return the items waiting for the operator, per review kind (all merchants)."""
    return reviews.pending_counts()


def _values(columns: dict) -> list:
    return [columns[name] for name in ("orders", "sales", "exceptions", "pending")]


def _orders(start: date, end: date):
    paid_total = case((Order.paid_at.is_not(None), Order.total), else_=0)
    return (
        select(
            Order.tenant_id,
            func.count().label("orders"),
            func.sum(paid_total).label("sales"),
        )
        .where(
            Order.placed_at >= datetime.combine(start, time.min, CHINA),
            Order.placed_at <= datetime.combine(end, time.max, CHINA),
        )
        .group_by(Order.tenant_id)
        .subquery()
    )


def _exceptions():
    return (
        select(CustomsDeclaration.tenant_id, func.count().label("exceptions"))
        .where(CustomsDeclaration.state == State.REJECTED)
        .group_by(CustomsDeclaration.tenant_id)
        .subquery()
    )


def _pending():
    """Items waiting for review per merchant, over every registered kind that a merchant owns
    (an application has no store yet: it is counted per kind, not per merchant)."""
    parts = [
        select(kind.model.tenant_id.label("tenant_id")).where(
            kind.model.review_state == ReviewState.SUBMITTED
        )
        for kind in reviews.kinds().values()
        if hasattr(kind.model, "tenant_id")
    ]
    if not parts:
        return None
    union = parts[0].union_all(*parts[1:]).subquery()
    return (
        select(union.c.tenant_id, func.count().label("pending"))
        .group_by(union.c.tenant_id)
        .subquery()
    )
