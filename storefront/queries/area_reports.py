"""Read side of the monthly supervised-area report (seed 001 §12): the months' reports with
their figures, one report's summary per product and its detail, for the merchant's console
and, across stores inside system_context, for the platform operator."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import Select, case, func, select, type_coerce
from sqlalchemy.orm import selectinload

from storefront.domain.customs.messages import CHINA_TIME
from storefront.domain.customs.states import COMPOSITE_TAGS
from storefront.domain.reviews import ReviewState
from storefront.extensions import db
from storefront.models import AreaReport, BondedStockMovement, Product, ProductFiling, Tenant
from storefront.models.types import ZERO, Money
from storefront.tenancy import system_context

Movement = BondedStockMovement


def month_start(moment: datetime) -> date:
    """Return the first day of the month `moment` falls in, in China Standard Time."""
    return moment.astimezone(CHINA_TIME).date().replace(day=1)


def next_month(month: date) -> date:
    """Return the first day of the month after `month`."""
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def previous_month(now: datetime) -> date:
    """Return the first day of the month before the one `now` falls in (China time)."""
    this = month_start(now)
    return date(this.year - (this.month == 1), (this.month - 2) % 12 + 1, 1)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """Return the month's first instant and the next month's, China Standard Time (UTC+8)."""
    start = datetime.combine(month.replace(day=1), time.min, CHINA_TIME)
    return start, datetime.combine(next_month(start.date()), time.min, CHINA_TIME)


def ended_months(now: datetime, count: int = 24) -> list[date]:
    """Return the last `count` months that have ended, latest first (what can be reported)."""
    months, month = [], previous_month(now)
    for _ in range(count):
        months.append(month)
        month = previous_month(datetime.combine(month, time.min, CHINA_TIME))
    return months


@dataclass(frozen=True)
class Figures:
    """What entered and left the bonded area: quantities and values (Decimal yuan)."""

    in_quantity: int = 0
    in_value: Decimal = ZERO
    out_quantity: int = 0
    out_value: Decimal = ZERO

    @property
    def net_quantity(self) -> int:
        return self.in_quantity - self.out_quantity

    @property
    def net_value(self) -> Decimal:
        return self.in_value - self.out_value


@dataclass(frozen=True)
class SummaryRow:
    """One product's line of the summary (总单)."""

    sku: str
    name: str
    hs_code: str
    record_no: str
    unit: str
    figures: Figures


@dataclass(frozen=True)
class ReportListing:
    """A page of reports with each one's figures and its late movements not yet in it."""

    page: object  # Flask-SQLAlchemy Pagination of AreaReport
    figures: dict[int, Figures]
    waiting: dict[int, int]
    stores: dict[int, str]


@dataclass(frozen=True)
class ReportView:
    """One report: its store, the summary, the totals and the detail (总单 and 明细单)."""

    report: AreaReport
    store_name: str
    summary: tuple[SummaryRow, ...]
    totals: Figures
    detail: Sequence[BondedStockMovement]
    detail_page: object = None  # the Pagination when the detail is one page of it


def _sums():
    def total(direction: str, column, kind):
        value = case((Movement.direction == direction, column), else_=0)
        return type_coerce(func.coalesce(func.sum(value), 0), kind)

    return (
        total("in", Movement.quantity, db.Integer),
        total("in", Movement.value, Money),
        total("out", Movement.quantity, db.Integer),
        total("out", Movement.value, Money),
    )


def _figures(row) -> Figures:
    return Figures(int(row[0]), row[1], int(row[2]), row[3])


def _in_report(report: AreaReport):
    # the tenant condition is explicit: the operator reads inside system_context
    return (Movement.area_report_id == report.id, Movement.tenant_id == report.tenant_id)


def summary(report: AreaReport) -> tuple[SummaryRow, ...]:
    """Return the report's summary: one row per product (and what customs knew it as)."""
    keys = (Product.sku, Product.name, Movement.hs_code, Movement.record_no, Movement.unit)
    rows = db.session.execute(
        select(*keys, *_sums())
        .join(Product, Product.id == Movement.product_id)
        .where(*_in_report(report))
        .group_by(Movement.product_id, *keys)
        .order_by(Movement.hs_code, Product.sku, Movement.record_no)
    )
    return tuple(SummaryRow(*row[:5], figures=_figures(row[5:])) for row in rows)


def totals(rows: Sequence[SummaryRow]) -> Figures:
    """Return the sum of the summary's rows."""
    return Figures(
        sum(row.figures.in_quantity for row in rows),
        sum((row.figures.in_value for row in rows), ZERO),
        sum(row.figures.out_quantity for row in rows),
        sum((row.figures.out_value for row in rows), ZERO),
    )


def detail_statement(report: AreaReport) -> Select:
    """Return the report's movements in time order, each with its product."""
    return (
        select(Movement)
        .where(*_in_report(report))
        .options(selectinload(Movement.product))
        .order_by(Movement.at, Movement.id)
    )


def _view(report: AreaReport, page: int | None, per_page: int) -> ReportView:
    rows = summary(report)
    store = db.session.scalar(select(Tenant.name).where(Tenant.id == report.tenant_id))
    if page is None:  # the whole detail, for the downloads
        detail = tuple(db.session.scalars(detail_statement(report)))
        return ReportView(report, store, rows, totals(rows), detail)
    listing = db.paginate(detail_statement(report), page=page, per_page=per_page, error_out=False)
    return ReportView(report, store, rows, totals(rows), tuple(listing.items), listing)


def report_view(report_id: int, page: int | None = None, per_page: int = 50) -> ReportView:
    """Return the store's report (a page of its detail, or all with no page), or 404."""
    report = db.first_or_404(select(AreaReport).where(AreaReport.id == report_id))
    return _view(report, page, per_page)


def operator_report_view(report_id: int, page: int | None = None, per_page: int = 50):
    """Return any store's report for the platform operator, or 404."""
    with system_context():
        report = db.first_or_404(select(AreaReport).where(AreaReport.id == report_id))
        return _view(report, page, per_page)


def reports(page: int, per_page: int) -> ReportListing:
    """Return a page of the store's reports, latest month first, with their figures."""
    statement = select(AreaReport).order_by(AreaReport.month.desc())
    listing = db.paginate(statement, page=page, per_page=per_page, error_out=False)
    return _listing(listing)


def operator_reports(tenant_id: int | None, page: int, per_page: int) -> ReportListing:
    """Return a page of every store's reports (or one store's), latest month first."""
    statement = select(AreaReport).order_by(AreaReport.month.desc(), AreaReport.tenant_id)
    if tenant_id is not None:
        statement = statement.where(AreaReport.tenant_id == tenant_id)
    with system_context():
        listing = db.paginate(statement, page=page, per_page=per_page, error_out=False)
        return _listing(listing)


def stores() -> list[tuple[int, str]]:
    """Return every store's id and name, by name (the operator's merchant filter)."""
    return list(db.session.execute(select(Tenant.id, Tenant.name).order_by(Tenant.name)).all())


def _listing(listing) -> ReportListing:
    ids = [report.id for report in listing.items]
    rows = db.session.execute(
        select(Movement.area_report_id, *_sums())
        .where(Movement.area_report_id.in_(ids))
        .group_by(Movement.area_report_id)
    )
    figures = {row[0]: _figures(row[1:]) for row in rows}
    names = select(Tenant.id, Tenant.name).where(
        Tenant.id.in_({report.tenant_id for report in listing.items})
    )
    stores = dict(db.session.execute(names).all())
    return ReportListing(listing, figures, _waiting(listing.items), stores)


def _waiting(reports: Sequence[AreaReport]) -> dict[int, int]:
    """Count, per report, the movements dated in its month but registered after it was
    generated (not in it until it is generated again)."""
    if not reports:
        return {}
    low = month_bounds(min(report.month for report in reports))[0]
    high = month_bounds(max(report.month for report in reports))[1]
    late = db.session.execute(
        select(Movement.tenant_id, Movement.at).where(
            Movement.area_report_id.is_(None), Movement.at >= low, Movement.at < high
        )
    ).all()
    counts = {}
    for report in reports:
        start, end = month_bounds(report.month)
        counts[report.id] = sum(
            1 for tenant_id, at in late if tenant_id == report.tenant_id and start <= at < end
        )
    return counts


def bonded_products() -> list[Product]:
    """Return the store's bonded-stock products: composite-tag products with an approved
    filing, the only goods that enter the supervised area (seed 001 §7)."""
    return list(
        db.session.scalars(
            select(Product)
            .join(ProductFiling, ProductFiling.product_id == Product.id)
            .where(
                Product.tax_tag.in_(sorted(COMPOSITE_TAGS)),
                ProductFiling.review_state == ReviewState.APPROVED,
            )
            .order_by(Product.sku)
        )
    )


def recent_inbound(limit: int = 20) -> list[BondedStockMovement]:
    """Return the store's latest inbound registrations."""
    return list(
        db.session.scalars(
            select(Movement)
            .where(Movement.direction == "in")
            .options(selectinload(Movement.product))
            .order_by(Movement.created_at.desc(), Movement.id.desc())
            .limit(limit)
        )
    )
