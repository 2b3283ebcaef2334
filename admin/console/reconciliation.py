"""Reconciliation (对账) in the merchant console: the period's transaction and tax records with
filters, totals and exports, the mismatches with "mark resolved", and a run button.

Owners and staff may view, run and resolve: closing the month is finance staff's work (issue
12), and every resolution keeps who, when and the note (the audit trail). The platform
operator sees the same pages across merchants (admin/platform_reconciliation) but resolves
nothing: that is the merchant's own account."""

from datetime import date
from functools import partial

from flask import (
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from admin.console import bp
from admin.console.orders import invalid_dates, query_date
from storefront.input_hardening import page_number
from storefront.models.reconciliation import Kind, Party
from storefront.models.types import utcnow
from storefront.queries import reconciliation as queries
from storefront.queries.reconciliation import CHINA
from storefront.services import reconciliation as service
from storefront.services.errors import NotFound
from storefront.tenancy import system_context, tenant_context

NOTE_LIMIT = 2000


def kind_labels() -> dict[str, str]:
    """Return each mismatch kind in the reader's language."""
    return {
        Kind.PAID_NOT_DECLARED: _("Paid amount differs from the declared amount"),
        Kind.TAX_DIFFERS: _("Tax withheld differs from the tax deducted"),
        Kind.PAYMENT_WITHOUT_ORDER: _("Payment with no order"),
        Kind.NO_RECEIPT: _("No customs receipt after the set days"),
        Kind.REFUND_NOT_DECLARED: _("Refund not reflected in customs"),
        Kind.SETTLEMENT_MISSING: _("Settlement missing at the payment provider"),
    }


def party_labels() -> dict[str, str]:
    return {Party.BUYER: _("the buyer"), Party.MERCHANT: _("the merchant")}


def period() -> tuple[date, date]:
    """Return the requested period; the current month (China time) by default."""
    today = utcnow().astimezone(CHINA).date()
    start = query_date(request.args.get("from")) or today.replace(day=1)
    end = query_date(request.args.get("to")) or today
    return (start, end) if start <= end else (end, start)


def record_filters(tenant_id: int | None = None) -> queries.RecordFilters:
    start, end = period()
    number = request.args.get("number", "").strip()[:40]
    changed = request.args.get("changed") == "1"
    return queries.RecordFilters(start, end, number, changed, tenant_id)


def mismatch_filters(tenant_id: int | None = None) -> queries.MismatchFilters:
    start, end = period()
    status = request.args.get("status", "open")
    status = status if status in queries.STATUSES else "open"
    return queries.MismatchFilters(start, end, request.args.get("kind") or None, status, tenant_id)


def table_name() -> str:
    table = request.args.get("table", "transaction")
    return table if table in queries.TABLES else "transaction"


def records_page(layout: str, endpoints: dict, tenant_id: int | None = None, **extra):
    """Render the records page (the merchant's, or the platform's across merchants)."""
    for value in invalid_dates():
        flash(_("“%(value)s” is not a date (YYYY-MM-DD): it was not used.", value=value), "error")
    filters, table = record_filters(tenant_id), table_name()
    page = request.args.get("page", 1, type=page_number)
    return render_template(
        "admin/reconciliation.html",
        layout=layout,
        endpoints=endpoints,
        filters=filters,
        table=table,
        columns=queries.TABLES[table],
        records=queries.records(filters, page, current_app.config["PAGE_SIZE"]),
        totals=queries.totals(filters),
        totalled=queries.TOTALLED,
        runs=queries.latest_runs(5, tenant_id),
        kinds=kind_labels(),
        **extra,
    )


def mismatches_page(layout: str, endpoints: dict, tenant_id: int | None = None, **extra):
    filters = mismatch_filters(tenant_id)
    page = request.args.get("page", 1, type=page_number)
    return render_template(
        "admin/reconciliation_mismatches.html",
        layout=layout,
        endpoints=endpoints,
        filters=filters,
        mismatches=queries.mismatches(filters, page, current_app.config["PAGE_SIZE"]),
        kinds=kind_labels(),
        parties=party_labels(),
        statuses=queries.STATUSES,
        **extra,
    )


def export(fmt: str, tenant_id: int | None = None, cross_tenant: bool = False) -> Response:
    """Stream the table's records of the filters as CSV, or as XLSX from a spooled file."""
    table = table_name()
    columns = queries.TABLES[table]
    fields, titles = [f for f, _t in columns], [_(t) for _f, t in columns]
    statement = queries.records_statement(record_filters(tenant_id))
    # the CSV is read while the response streams, after the view returned: the generator
    # enters the same tenant (or the operator's system context) itself
    scope = system_context if cross_tenant else partial(tenant_context, g.tenant.id)

    def rows():
        with scope():
            yield from queries.export_rows(statement, fields)

    name = f"reconciliation-{table}"
    if fmt == "csv":
        body = stream_with_context(queries.csv_chunks(rows(), titles, fields, _("Total")))
        return _download(body, "text/csv; charset=utf-8", f"{name}.csv")
    spool = queries.xlsx_file(rows(), titles, fields, _("Total"))
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _download(_chunks(spool), xlsx, f"{name}.xlsx")


def _chunks(spool):
    with spool:
        while chunk := spool.read(64 * 1024):
            yield chunk


def _download(body, mimetype: str, filename: str) -> Response:
    headers = {"Content-Disposition": f"attachment; filename={filename}"}
    return Response(body, mimetype=mimetype, headers=headers)


MERCHANT = {
    "records": "console.reconciliation",
    "mismatches": "console.reconciliation_mismatches",
    "export": "console.export_reconciliation",
}


@bp.route("/reconciliation")
def reconciliation():
    return records_page("admin/layout.html", MERCHANT, can_run=True)


@bp.route("/reconciliation/export.<any(csv, xlsx):fmt>")
def export_reconciliation(fmt: str):
    if invalid_dates():
        return _("Enter dates as YYYY-MM-DD."), 400
    return export(fmt)


@bp.route("/reconciliation/run", methods=["POST"])
def run_reconciliation():
    start = query_date(request.form.get("from"))
    end = query_date(request.form.get("to"))
    if start is None or end is None or end < start:
        flash(_("Enter the period as two dates (YYYY-MM-DD), the first one first."), "error")
        return redirect(url_for("console.reconciliation"))
    summary = service.run(g.tenant.id, start, end, current_user.email)
    flash(
        _(
            "Reconciled: %(orders)s orders, %(matched)s matched, %(found)s mismatches.",
            orders=summary.orders,
            matched=summary.matched,
            found=sum(summary.mismatches.values()),
        ),
        "success",
    )
    return redirect(url_for("console.reconciliation", **{"from": start, "to": end}))


@bp.route("/reconciliation/mismatches")
def reconciliation_mismatches():
    return mismatches_page("admin/layout.html", MERCHANT, can_resolve=True)


@bp.route("/reconciliation/mismatches/<int:mismatch_id>/resolve", methods=["POST"])
def resolve_mismatch(mismatch_id: int):
    queries.mismatch_or_404(mismatch_id)
    note = request.form.get("note", "").strip()
    if not note or len(note) > NOTE_LIMIT:
        flash(_("Say in a note (up to 2000 characters) how it was resolved."), "error")
    else:
        try:
            service.resolve(mismatch_id, current_user.email, note)
        except NotFound:
            abort(404)
        except service.AlreadyResolved:
            flash(_("This mismatch was already resolved: that resolution is kept."), "error")
        else:
            flash(_("The mismatch is marked resolved."), "success")
    return redirect(url_for("console.reconciliation_mismatches"))
