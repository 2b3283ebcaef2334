"""The platform operator's view of every store's supervised-area reports (seed 001 §12), with a
merchant filter, each report's summary and detail and its downloads."""

from flask import current_app, render_template, request

from admin.console.area_reports import download
from admin.platform import bp
from storefront.input_hardening import page_number, record_id
from storefront.queries import area_reports as queries


@bp.route("/area-reports")
def area_reports():
    tenant_id = request.args.get("tenant", type=record_id)
    page = request.args.get("page", 1, type=page_number)
    listing = queries.operator_reports(tenant_id, page, current_app.config["PAGE_SIZE"])
    return render_template(
        "platform/area_reports.html",
        listing=listing,
        stores=queries.stores(),
        tenant_id=tenant_id,
    )


@bp.route("/area-reports/<int:area_report_id>")
def area_report(area_report_id: int):
    page = request.args.get("page", 1, type=page_number)
    view = queries.operator_report_view(area_report_id, page, current_app.config["PAGE_SIZE"])
    return render_template("platform/area_report.html", view=view)


@bp.route("/area-reports/<int:area_report_id>.<any(csv, xlsx, pdf):fmt>")
def area_report_download(area_report_id: int, fmt: str):
    return download(queries.operator_report_view(area_report_id), fmt)
