"""Tax templates with a live preview, and the store's limit policy."""

from decimal import Decimal, InvalidOperation

from flask import flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from admin.console import bp
from admin.console.messages import console_message
from admin.forms import StoreSettingsForm, TaxTemplateForm, choices
from storefront.domain.errors import Refused
from storefront.domain.tax import InvalidRates
from storefront.input_hardening import RATE_LIMIT, finite_decimal
from storefront.queries import tax as tax_queries
from storefront.services import tax_templates

PREVIEW_AMOUNT = Decimal("1000.00")


@bp.route("/tax-templates")
def tax_templates_list():
    return render_template("admin/tax_templates.html", templates=tax_queries.templates_in_use())


@bp.route("/tax-templates/new", methods=["GET", "POST"])
@bp.route("/tax-templates/<int:template_id>/edit", methods=["GET", "POST"])
def edit_tax_template(template_id: int | None = None):
    template = tax_queries.template_or_404(template_id) if template_id else None
    form = TaxTemplateForm(obj=template)
    if form.validate_on_submit():
        try:
            tax_templates.save_template(template, form.data)
        except Refused as refused:
            form.name.errors.append(console_message(refused))
        else:
            flash(_("Tax template saved."), "success")
            return redirect(url_for("console.tax_templates_list"))
    try:
        preview = tax_templates.preview(_form_rates(form), PREVIEW_AMOUNT, Decimal("0.00"))
    except InvalidRates:
        preview = {}  # the form shows what is wrong with the rates
    return render_template(
        "admin/tax_template_form.html",
        form=form,
        template=template,
        preview=preview,
        amount=PREVIEW_AMOUNT,
    )


@bp.route("/tax-templates/<int:template_id>/delete", methods=["POST"])
def delete_tax_template(template_id: int):
    template = tax_queries.template_or_404(template_id)
    try:
        tax_templates.delete_template(template)
    except tax_templates.TemplateInUse as in_use:
        flash(
            _(
                "“%(name)s” is used by these products and cannot be deleted: %(products)s",
                name=template.name,
                products="、".join(in_use.product_names),
            ),
            "error",
        )
    else:
        flash(_("Tax template deleted."), "success")
    return redirect(url_for("console.tax_templates_list"))


@bp.route("/tax-templates/preview.json")
def tax_template_preview():
    """Tax on an example amount for every tag, for the live preview while typing."""
    try:
        rates = {
            key: finite_decimal(request.args.get(key) or "0", RATE_LIMIT)
            for key in tax_templates.RATE_KEYS
        }
        amount = finite_decimal(request.args.get("amount") or str(PREVIEW_AMOUNT))
        freight = finite_decimal(request.args.get("freight") or "0")
        preview = tax_templates.preview(rates, amount, freight)
    except (InvalidOperation, InvalidRates, ValueError) as error:
        return jsonify(
            {"error": {"code": "invalid_rates", "message": str(error), "fields": {}}}
        ), 400
    return jsonify(preview)


@bp.route("/settings", methods=["GET", "POST"])
def settings():
    form = StoreSettingsForm(obj=g.tenant)
    form.limit_policy_code.choices = choices(
        (p.code, f"{p.code} · {p.effective_from:%Y-%m-%d}") for p in tax_queries.limit_policies()
    )
    if form.validate_on_submit():
        tax_templates.save_store_settings(g.tenant, form.data)
        flash(_("Store settings saved."), "success")
        return redirect(url_for("console.settings"))
    return render_template("admin/settings.html", form=form, policies=tax_queries.limit_policies())


def _form_rates(form: TaxTemplateForm) -> dict[str, Decimal]:
    return {key: getattr(form, key).data or Decimal(0) for key in tax_templates.RATE_KEYS}
