"""The platform operator's figures across merchants: GROUP BY in SQL, inside system_context.

Orders and sales count as on the merchant dashboard (storefront.queries.merchant_figures): China
days, sales are paid orders' totals. Customs exceptions are declarations customs returned
(State.REJECTED) and not yet resent, whatever their date: they wait for the merchant now.
A merchant is a store (opening soon, open or suspended) or an application still in review with
no store yet (applying, seed 000 step 1): the operator's one list holds both.
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import case, func, literal, null, or_, select

from storefront.domain.customs.states import State
from storefront.domain.reviews import ReviewState
from storefront.extensions import db
from storefront.models import (
    CustomsDeclaration,
    MerchantApplication,
    Order,
    Product,
    Shopper,
    StaffUser,
    Tenant,
)
from storefront.queries.orders import CHINA
from storefront.services import reviews
from storefront.tenancy import system_context

SORTS = ("name", "orders", "sales", "exceptions", "pending", "products", "shoppers", "staff")
STATES = ("applying", "opening_soon", "open", "suspended")
FIGURES = ("orders", "sales", "exceptions", "pending", "products", "shoppers", "staff")
# An application the operator has received and not yet settled: its merchant is applying.
APPLYING = (ReviewState.SUBMITTED, ReviewState.NEEDS_CHANGES)
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class MerchantRow:
    tenant_id: int | None  # None while applying
    application_id: int | None  # the application of an applying merchant
    name: str
    slug: str
    state: str  # one of STATES
    orders: int
    sales: Decimal
    exceptions: int
    pending: int
    products: int
    shoppers: int
    staff: int

    @property
    def suspended(self) -> bool:
        return self.state == "suspended"


def merchant_overview(
    start: date,
    end: date,
    search: str = "",
    sort: str = "name",
    descending: bool = False,
    state: str = "",
) -> list[MerchantRow]:
    """Return every merchant with its orders and sales in the China days start..end, its open
    customs exceptions, its items waiting for review and its product, shopper and staff counts;
    searched by name or store address, limited to one state if given, sorted."""
    merchants = _merchants(start, end, search)
    key = merchants.c[sort if sort in SORTS else "name"]
    statement = select(merchants).order_by(
        key.desc() if descending else key.asc(), merchants.c.tenant_id, merchants.c.application_id
    )
    if state in STATES:
        statement = statement.where(merchants.c.state == state)
    return _rows(statement)


def store_figures(tenant_id: int, start: date, end: date) -> MerchantRow | None:
    """Return one store's row of the overview (the operator's page of the store)."""
    merchants = _merchants(start, end, "")
    return next(iter(_rows(select(merchants).where(merchants.c.tenant_id == tenant_id))), None)


def pending_reviews_by_kind() -> dict[str, int]:
    """Return the items waiting for the operator, per review kind (all merchants)."""
    return reviews.pending_counts()


def _rows(statement) -> list[MerchantRow]:
    with system_context():
        rows = db.session.execute(statement).mappings().all()
    return [MerchantRow(**{**row, "sales": Decimal(row["sales"]).quantize(ZERO)}) for row in rows]


def _merchants(start: date, end: date, search: str):
    """Stores and applying merchants as one subquery of MerchantRow's columns."""
    stores, applying = _stores(start, end), _applying()
    if search:
        pattern = f"%{search}%"
        stores = stores.where(or_(Tenant.name.ilike(pattern), Tenant.slug.ilike(pattern)))
        applying = applying.where(
            or_(
                MerchantApplication.store_name.ilike(pattern),
                MerchantApplication.store_slug.ilike(pattern),
                MerchantApplication.company_name.ilike(pattern),
            )
        )
    return stores.union_all(applying).subquery()


def _stores(start: date, end: date):
    orders, exceptions, pending = _orders(start, end), _exceptions(), _pending()
    counts = {name: _count_by_tenant(model) for name, model in _COUNTED.items()}
    state = case(
        (Tenant.suspended_at.is_not(None), "suspended"),
        (Tenant.opened_at.is_(None), "opening_soon"),
        else_="open",
    )
    figures = {
        "orders": func.coalesce(orders.c.orders, 0),
        "sales": func.coalesce(orders.c.sales, 0),
        "exceptions": func.coalesce(exceptions.c.exceptions, 0),
        "pending": func.coalesce(pending.c.pending, 0) if pending is not None else literal(0),
        **{name: func.coalesce(count.c.n, 0) for name, count in counts.items()},
    }
    statement = select(
        Tenant.id.label("tenant_id"),
        null().label("application_id"),
        Tenant.name.label("name"),
        Tenant.slug.label("slug"),
        state.label("state"),
        *(figures[name].label(name) for name in FIGURES),
    )
    joined = [(orders, orders.c.tenant_id), (exceptions, exceptions.c.tenant_id)]
    joined += [(count, count.c.tenant_id) for count in counts.values()]
    if pending is not None:
        joined.append((pending, pending.c.tenant_id))
    for subquery, tenant_id in joined:
        statement = statement.outerjoin(subquery, tenant_id == Tenant.id)
    return statement


def _applying():
    """Applications in review with no store yet: one row each, the application itself their
    item waiting for review while submitted."""
    waiting = case((MerchantApplication.review_state == ReviewState.SUBMITTED, 1), else_=0)
    values = {name: literal(0) for name in FIGURES}
    values["sales"], values["pending"] = literal(ZERO), waiting
    return select(
        null().label("tenant_id"),
        MerchantApplication.id.label("application_id"),
        func.coalesce(
            func.nullif(MerchantApplication.store_name, ""), MerchantApplication.company_name
        ).label("name"),
        MerchantApplication.store_slug.label("slug"),
        literal("applying").label("state"),
        *(values[name].label(name) for name in FIGURES),
    ).where(
        MerchantApplication.tenant_id.is_(None),
        MerchantApplication.review_state.in_([str(s) for s in APPLYING]),
    )


_COUNTED = {"products": Product, "shoppers": Shopper, "staff": StaffUser}


def _count_by_tenant(model):
    return select(model.tenant_id, func.count().label("n")).group_by(model.tenant_id).subquery()


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
    """Items waiting for review per store, over every registered kind that a store owns (an
    application in review has no store yet: its own row counts it)."""
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
