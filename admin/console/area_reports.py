"""The monthly supervised-area report in the merchant console (seed 001 §12): the months'
reports, generating one now, its summary and detail, the XLSX and PDF downloads; and the
inbound registration (入区登记) of goods arriving in the bonded warehouse."""

from datetime import date

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from admin.console import bp
from admin.forms import choices
from storefront.documents.area_report import (
    area_report_csv,
    area_report_xlsx,
    render_area_report_pdf,
)
from storefront.input_hardening import BoundedDecimalField, BoundedIntegerField, page_number
from storefront.models.types import utcnow
from storefront.queries import area_reports as queries
from storefront.services import area_reports, bonded_stock
from storefront.services.bonded_stock import Inbound, InboundProblem, InboundRefused

RENDERERS = {
    "csv": (area_report_csv, "text/csv"),
    "xlsx": (area_report_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pdf": (render_area_report_pdf, "application/pdf"),
}


class GenerateForm(FlaskForm):
    month = SelectField(_l("Month"), validators=[DataRequired()])


class InboundForm(FlaskForm):
    product_id = SelectField(_l("Product"), coerce=int, validators=[InputRequired()])
    quantity = BoundedIntegerField(
        _l("Quantity"), validators=[InputRequired(), NumberRange(min=1, max=1_000_000)]
    )
    arrived_on = DateField(_l("Date of arrival"), validators=[InputRequired()])
    document_number = StringField(
        _l("Inbound note / document number"), validators=[DataRequired(), Length(max=60)]
    )
    value = BoundedDecimalField(
        _l("Value (¥, empty: quantity × price)"),
        places=2,
        validators=[Optional(), NumberRange(min=0)],
    )


@bp.route("/area-reports")
def area_reports_list():
    page = request.args.get("page", 1, type=page_number)
    listing = queries.reports(page, current_app.config["PAGE_SIZE"])
    return render_template(
        "admin/area_reports.html", listing=listing, form=_generate_form(), month_key=_month_key
    )


@bp.route("/area-reports/generate", methods=["POST"])
def generate_area_report():
    form = _generate_form()
    if not form.validate_on_submit():
        flash(_("Choose a month that has ended."), "error")
        return redirect(url_for("console.area_reports_list"))
    month = date.fromisoformat(form.month.data + "-01")
    report = area_reports.generate(month, _who())
    flash(_("The report of %(month)s was generated.", month=form.month.data), "success")
    return redirect(url_for("console.area_report", area_report_id=report.id))


@bp.route("/area-reports/<int:area_report_id>")
def area_report(area_report_id: int):
    page = request.args.get("page", 1, type=page_number)
    view = queries.report_view(area_report_id, page, current_app.config["PAGE_SIZE"])
    return render_template("admin/area_report.html", view=view, downloads="console")


@bp.route("/area-reports/<int:area_report_id>.<any(csv, xlsx, pdf):fmt>")
def area_report_download(area_report_id: int, fmt: str):
    return download(queries.report_view(area_report_id), fmt)


@bp.route("/bonded-inbound", methods=["GET", "POST"])
def bonded_inbound():
    form = InboundForm()
    form.product_id.choices = choices(
        (p.id, f"{p.sku} {p.name}") for p in queries.bonded_products()
    )
    if form.validate_on_submit():
        data = form.data
        inbound = Inbound(
            data["product_id"],
            data["quantity"],
            data["arrived_on"],
            data["document_number"].strip(),
            data["value"],
        )
        try:
            bonded_stock.register_inbound(inbound, _who(), utcnow())
        except InboundRefused as refused:
            field, message = _refusal(refused.problem)
            getattr(form, field).errors.append(message)
        else:
            flash(_("The goods were registered in and the stock raised."), "success")
            return redirect(url_for("console.bonded_inbound"))
    return render_template("admin/bonded_inbound.html", form=form, recent=queries.recent_inbound())


def download(view, fmt: str) -> Response:
    """Return the report as a CSV (its detail), XLSX or PDF download."""
    render, mimetype = RENDERERS[fmt]
    disposition = f"attachment; filename={_filename(view, fmt)}"
    return Response(render(view), mimetype=mimetype, headers={"Content-Disposition": disposition})


def _filename(view, extension: str) -> str:
    return f"area-report-{_month_key(view.report.month)}.{extension}"


def _month_key(month: date) -> str:
    return month.strftime("%Y-%m")


def _generate_form() -> GenerateForm:
    form = GenerateForm()
    months = queries.ended_months(utcnow())
    form.month.choices = choices((_month_key(month), _month_key(month)) for month in months)
    return form


def _refusal(problem: InboundProblem) -> tuple[str, str]:
    """Name the field a refusal belongs to and say why, in the merchant's language."""
    return {
        InboundProblem.NOT_BONDED: (
            "product_id",
            _("Only bonded products with an approved customs filing enter the bonded area."),
        ),
        InboundProblem.DUPLICATE: (
            "document_number",
            _("This inbound note already registered this product."),
        ),
        InboundProblem.FUTURE_DATE: (
            "arrived_on",
            _("The date of arrival cannot be in the future."),
        ),
        InboundProblem.TOO_EARLY: (
            "arrived_on",
            _("The date of arrival cannot be before 2014."),
        ),
        InboundProblem.TOO_LARGE: (
            "quantity",
            _("This quantity makes a value or a stock too large to record."),
        ),
    }[problem]


def _who() -> str:
    return f"staff:{current_user.id} {current_user.name}"
