"""The merchant's dashboard: charts of the order list's figures, the numbers behind each."""

from dataclasses import dataclass, field
from decimal import Decimal

from flask import abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from admin.console import bp
from admin.console.orders import STATUSES, invalid_dates, query_date
from storefront.documents.charts import Point, bar_chart, column_chart, stacked_bar
from storefront.domain.customs.states import State
from storefront.i18n import label, money, status_label
from storefront.models.types import utcnow
from storefront.queries import merchant_figures as figures
from storefront.queries.customs import counts_by_state
from storefront.queries.dashboard import tenant_counts
from storefront.queries.orders import OrderFilters

# storefront.domain.limits.ViolationCode and storefront.domain.cart_rules.MixCode
RULE_LABELS = {
    "order_limit": _l("Order limit"),
    "direct_mail_limit": _l("Direct-mail limit"),
    "annual_limit": _l("Annual limit"),
    "tax_and_non_tax": _l("Tax and non-tax goods together"),
    "different_tax_classes": _l("Two tax classes together"),
}


@dataclass
class Panel:
    """One dashboard figure: its charts and the table of the same series (the numbers)."""

    key: str
    title: str
    headers: tuple[str, ...]
    rows: list[tuple[tuple[str, ...], str | None]] = field(default_factory=list)  # cells, link
    charts: list[Markup] = field(default_factory=list)


@bp.route("/")
def dashboard():
    filters = _filters()
    by_state = counts_by_state()
    customs_counts = [(state, by_state[state]) for state in State if state in by_state]
    return render_template(
        "admin/dashboard.html",
        counts=tenant_counts(),
        customs_counts=customs_counts,
        filters=filters,
        statuses=STATUSES,
        panels=[build(filters) for build in PANELS.values()],
    )


@bp.route("/dashboard/numbers/<series>")
def dashboard_numbers(series: str):
    if series not in PANELS:
        abort(404)
    filters = _filters()
    panel = PANELS[series](filters)
    return render_template(
        "admin/dashboard_numbers.html", panel=panel, filters=filters, statuses=STATUSES
    )


def _filters() -> OrderFilters:
    """The order list's filters from the query string, the date range filled (China days)."""
    for value in invalid_dates():
        flash(_("“%(value)s” is not a date (YYYY-MM-DD): it was not used.", value=value), "error")
    args = request.args
    given = OrderFilters(
        status=args.get("status") or None,
        tag=args.get("tag") or None,
        date_from=query_date(args.get("from")),
        date_to=query_date(args.get("to")),
    )
    return figures.dashboard_filters(given, figures.china_today(utcnow()))


def _orders_link(filters: OrderFilters, **changes) -> str:
    """The order list filtered as the dashboard is, with `changes` (a day, a status)."""
    values = {
        "status": filters.status,
        "tag": filters.tag,
        "from": filters.date_from.isoformat(),
        "to": filters.date_to.isoformat(),
        **changes,
    }
    return url_for("console.orders", **{key: value for key, value in values.items() if value})


def _sales(filters: OrderFilters) -> Panel:
    days = figures.sales_by_day(filters)
    panel = Panel("sales", _("Sales and orders per day"), (_("Date"), _("Orders"), _("Sales")))
    for row in days:
        link = _orders_link(filters, **_day(row.day))
        panel.rows.append(((row.day.isoformat(), str(row.orders), _yuan(row.sales)), link))
    sales = [Point(f"{d.day:%m-%d}", d.sales, _orders_link(filters, **_day(d.day))) for d in days]
    orders = [Point(f"{d.day:%m-%d}", d.orders, _orders_link(filters, **_day(d.day))) for d in days]
    described = _("From %(start)s to %(end)s, China time", start=days[0].day, end=days[-1].day)
    panel.charts = [
        column_chart(
            "chart-sales",
            _("Sales per day"),
            described,
            sales,
            axis_label=_("Yuan"),
            value_text=_yuan,
        ),
        column_chart(
            "chart-orders", _("Orders per day"), described, orders, axis_label=_("Orders")
        ),
    ]
    return panel


def _status(filters: OrderFilters) -> Panel:
    counts = figures.orders_by_status(filters)
    panel = Panel("status", _("Orders by state"), (_("Status"), _("Orders")))
    points = []
    for status, count in counts:
        link = _orders_link(filters, status=status)
        panel.rows.append(((status_label(status), str(count)), link))
        points.append(Point(status_label(status), count, link))
    description = _("Orders placed in the range, by their state now")
    panel.charts = [bar_chart("chart-status", panel.title, description, points)]
    return panel


def _customs(filters: OrderFilters) -> Panel:
    counts = figures.orders_by_customs_state(filters)
    panel = Panel("customs", _("Orders by customs state"), (_("Customs state"), _("Orders")))
    points = []
    for state, count in counts:
        link = url_for("console.customs_declarations", state=state)
        panel.rows.append(((label("customs_state", state), str(count)), link))
        points.append(Point(label("customs_state", state), count, link))
    description = _("Orders placed in the range that have a customs declaration")
    panel.charts = [stacked_bar("chart-customs", panel.title, description, points)]
    return panel


def _refusals(filters: OrderFilters) -> Panel:
    counts = figures.refusals_by_rule(filters)
    panel = Panel("refusals", _("Refused orders by rule"), (_("Rule"), _("Refusals")))
    points = []
    for rule, count in counts:
        name = str(RULE_LABELS.get(rule, rule))
        panel.rows.append(((name, str(count)), None))
        points.append(Point(name, count))
    description = _("Attempts to place an order that a purchase limit or mixing rule refused")
    panel.charts = [bar_chart("chart-refusals", panel.title, description, points)]
    return panel


def _products(filters: OrderFilters) -> Panel:
    by_quantity = figures.top_products(filters, "quantity")
    by_amount = figures.top_products(filters, "amount")
    headers = (_("Product"), _("Quantity"), _("Amount"))
    panel = Panel("products", _("Top products"), headers)
    for row in by_quantity:
        panel.rows.append(((row.name, str(row.quantity), _yuan(row.amount)), None))
    description = _("Paid orders in the range")
    panel.charts = [
        bar_chart(
            "chart-top-quantity",
            _("Top products by quantity"),
            description,
            [Point(row.name, row.quantity) for row in by_quantity],
        ),
        bar_chart(
            "chart-top-amount",
            _("Top products by amount"),
            description,
            [Point(row.name, row.amount) for row in by_amount],
            value_text=_yuan,
        ),
    ]
    return panel


def _day(day) -> dict[str, str]:
    return {"from": day.isoformat(), "to": day.isoformat()}


def _yuan(value) -> str:
    return f"¥{money(Decimal(value))}"


PANELS = {
    "sales": _sales,
    "status": _status,
    "customs": _customs,
    "refusals": _refusals,
    "products": _products,
}
