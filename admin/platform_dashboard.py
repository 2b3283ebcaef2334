"""The operator's one merchant list (the console's landing page): every merchant's state and
figures, sortable and searchable, with charts per store and the numbers behind each."""

from operator import attrgetter

from flask import abort, flash, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from admin.console.dashboard import Panel
from admin.console.orders import invalid_dates, query_date
from admin.platform import bp
from storefront.documents.charts import Point, bar_chart
from storefront.i18n import money
from storefront.models.types import utcnow
from storefront.queries import merchant_figures, platform_figures
from storefront.queries.orders import OrderFilters
from storefront.services import reviews

# storefront.queries.platform_figures.STATES, as the operator reads them
STATE_LABELS = {
    "applying": _l("Applying"),
    "opening_soon": _l("Opening soon"),
    "open": _l("Open for business"),
    "suspended": _l("Suspended"),
}


@bp.route("/")
def overview():
    filters, rows = _overview_rows()
    return render_template(
        "platform/overview.html",
        rows=rows,
        filters=filters,
        search=request.args.get("q", "").strip(),
        sort=request.args.get("sort", "name"),
        descending=request.args.get("desc") == "1",
        sorts=platform_figures.SORTS,
        state=request.args.get("state", ""),
        states=platform_figures.STATES,
        state_labels=STATE_LABELS,
        range_args=range_args(filters),
        panels=[build(rows) for build in PANELS.values()],
    )


@bp.route("/overview/numbers/<series>")
def overview_numbers(series: str):
    if series not in PANELS:
        abort(404)
    filters, rows = _overview_rows()
    return render_template(
        "platform/overview_numbers.html", panel=PANELS[series](rows), filters=filters
    )


def overview_filters() -> OrderFilters:
    """Return the request's date range (last 30 China days by default), flashing bad dates."""
    for value in invalid_dates():
        flash(_("“%(value)s” is not a date (YYYY-MM-DD): it was not used.", value=value), "error")
    given = OrderFilters(
        date_from=query_date(request.args.get("from")), date_to=query_date(request.args.get("to"))
    )
    return merchant_figures.dashboard_filters(given, merchant_figures.china_today(utcnow()))


def range_args(filters: OrderFilters) -> dict[str, str]:
    """Return the date range as query arguments (a store's page opens on the list's range)."""
    return {"from": filters.date_from.isoformat(), "to": filters.date_to.isoformat()}


def _overview_rows():
    filters = overview_filters()
    rows = platform_figures.merchant_overview(
        filters.date_from,
        filters.date_to,
        request.args.get("q", "").strip(),
        request.args.get("sort", "name"),
        request.args.get("desc") == "1",
        request.args.get("state", ""),
    )
    return filters, rows


def _per_merchant(key: str, title: str, header: str, rows, value, text=str) -> Panel:
    panel = Panel(key, title, (_("Store"), header))
    points = []
    for row in (row for row in rows if row.tenant_id is not None):  # applicants sell nothing
        panel.rows.append(((row.name, text(value(row))), None))
        points.append(Point(row.name, value(row)))
    description = _("One bar per merchant")
    panel.charts = [bar_chart(f"chart-{key}", title, description, points, value_text=text)]
    return panel


def _sales(rows) -> Panel:
    sales = attrgetter("sales")
    return _per_merchant("sales", _("Sales per merchant"), _("Sales"), rows, sales, _yuan)


def _orders(rows) -> Panel:
    return _per_merchant(
        "orders", _("Orders per merchant"), _("Orders"), rows, attrgetter("orders")
    )


def _exceptions(rows) -> Panel:
    title = _("Customs exceptions per merchant")
    exceptions = attrgetter("exceptions")
    return _per_merchant("exceptions", title, _("Customs exceptions"), rows, exceptions)


def _pending(rows) -> Panel:
    panel = Panel("reviews", _("Pending reviews by kind"), (_("Review"), _("Waiting")))
    kinds = reviews.kinds()
    points = []
    for kind, count in platform_figures.pending_reviews_by_kind().items():
        name = str(kinds[kind].title)
        panel.rows.append(((name, str(count)), None))
        points.append(Point(name, count))
    description = _("Items submitted and waiting for the operator")
    panel.charts = [bar_chart("chart-reviews", panel.title, description, points)]
    return panel


def _yuan(amount) -> str:
    return f"¥{money(amount)}"


PANELS = {"sales": _sales, "orders": _orders, "exceptions": _exceptions, "reviews": _pending}
