"""Reconciliation in the platform console: the merchants' records and mismatches, one merchant
or all (a merchant filter); reads cross tenants inside system_context(). The operator views
and exports; running and resolving stay with each merchant (admin/console/reconciliation)."""

from flask import request
from flask_babel import gettext as _

from admin.console.orders import invalid_dates
from admin.console.reconciliation import export, mismatches_page, records_page
from admin.platform import bp
from storefront.queries.reconciliation import tenant_names
from storefront.tenancy import system_context

PLATFORM = {
    "records": "platform.reconciliation",
    "mismatches": "platform.reconciliation_mismatches",
    "export": "platform.export_reconciliation",
}


def _tenant_filter(names: dict[int, str]) -> int | None:
    """Return the chosen merchant's id, or None (every merchant) for anything else."""
    chosen = request.args.get("tenant", type=int)
    return chosen if chosen in names else None


@bp.route("/reconciliation")
def reconciliation():
    with system_context():
        names = tenant_names()
        page = records_page("platform/layout.html", PLATFORM, _tenant_filter(names), tenants=names)
    return page


@bp.route("/reconciliation/mismatches")
def reconciliation_mismatches():
    with system_context():
        names = tenant_names()
        return mismatches_page(
            "platform/layout.html", PLATFORM, _tenant_filter(names), tenants=names
        )


@bp.route("/reconciliation/export.<any(csv, xlsx):fmt>")
def export_reconciliation(fmt: str):
    if invalid_dates():
        return _("Enter dates as YYYY-MM-DD."), 400
    with system_context():
        chosen = _tenant_filter(tenant_names())
        # the rows are read while the response streams: the generator keeps the context
        return export(fmt, chosen, cross_tenant=True)
