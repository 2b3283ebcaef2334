"""Invoice settings (owner only, seed 003 §二): the seller's constants, when and how invoices
are issued, which goods get one; and each product's own rate, tax code and short name."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectChoice, SelectField, StringField

from admin.console import bp
from admin.console.messages import console_message
from storefront.domain.errors import Refused
from storefront.domain.reviews import ReviewState
from storefront.i18n import tax_tag_label
from storefront.queries import invoice_issuers as issuer_queries
from storefront.services import invoice_issuer, reviews
from storefront.services.errors import NotFound
from storefront.services.invoice_settings import (
    DEFAULT_ELIGIBILITY,
    NON_TAX,
    PLATFORM_CODES,
    InvoiceSettingsRefused,
    current_settings,
    product_invoicing,
    product_invoicing_rows,
    save_product_invoicing,
    save_settings,
)
from storefront.services.uploads import upload_response

TRIGGER_LABELS = {
    "paid": _l("Paid"),
    "shipped": _l("Shipped"),
    "received": _l("Received"),
    "completed": _l("Completed"),
}
ISSUER_ERRORS = ("review", "products")
MODE_LABELS = {"sync": _l("Synchronous (one call)"), "async": _l("Asynchronous (collected later)")}


def _choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]


class InvoiceSettingsForm(FlaskForm):
    # choices are checked by the service with every other field, so all errors show at once
    payee_name = StringField(_l("Payee name"))
    tax_number = StringField(_l("Tax register number (unified social credit code)"))
    address = StringField(_l("Address"))
    phone = StringField(_l("Phone"))
    drawer = StringField(_l("Default drawer"))
    tax_rate = StringField(_l("Default tax rate (%)"), default="13")
    tax_code = StringField(_l("Tax classification code"))
    short_name = StringField(_l("Tax classification short name"))
    trigger = SelectField(
        _l("Issue when the order is"), choices=_choices(TRIGGER_LABELS), validate_choice=False
    )
    mode = SelectField(_l("Mode"), choices=_choices(MODE_LABELS), validate_choice=False)
    platform_code = SelectField(
        _l("Platform code"), choices=_choices({c: c for c in PLATFORM_CODES}), validate_choice=False
    )
    certificate = FileField(_l("Tax registration certificate (PDF, JPEG or PNG)"))


class ProductInvoicingForm(FlaskForm):
    tax_rate = StringField(_l("Tax rate (%), blank for the store's"))
    tax_code = StringField(_l("Tax classification code"))
    short_name = StringField(_l("Tax classification short name"))


@bp.route("/invoice-settings", methods=["GET", "POST"])
def invoice_settings():
    stored = current_settings()
    form = InvoiceSettingsForm(obj=stored, data=None if stored else {"drawer": current_user.name})
    eligibility = {**DEFAULT_ELIGIBILITY, **(stored.eligibility if stored else {})}
    chosen = invoice_issuer.listed_product_ids()
    if form.validate_on_submit():
        eligibility = {key: f"eligible-{key}" in request.form for key in DEFAULT_ELIGIBILITY}
        chosen = _chosen_products()
        try:
            row = save_settings(
                {**form.data, "eligibility": eligibility}, _who(), _certificate(form), chosen
            )
        except InvoiceSettingsRefused as refused:
            _show_errors(form, refused)
        except Refused as refused:  # the certificate is not an accepted document
            form.certificate.errors = [console_message(refused)]
        else:
            flash(_saved(row), "success")
            return redirect(url_for("console.invoice_settings"))
    return render_template(
        "admin/invoice_settings.html",
        form=form,
        eligibility=eligibility,
        labels=_tag_labels(),
        **_issuer_values(stored, chosen, form),
    )


@bp.route("/invoice-settings/certificate")
def invoice_settings_certificate():
    """Serve the store's own tax registration certificate (inline, sandboxed)."""
    stored = issuer_queries.own_certificate(current_settings())
    if stored is None:
        abort(404)
    return upload_response(stored)


@bp.route("/invoice-settings/products")
def product_invoicing_list():
    return render_template("admin/product_invoicing_list.html", rows=product_invoicing_rows())


@bp.route("/products/<int:product_id>/invoicing", methods=["GET", "POST"])
def product_invoicing_edit(product_id: int):
    try:
        product, own = product_invoicing(product_id)
    except NotFound:
        abort(404)
    form = ProductInvoicingForm(obj=own)
    if form.validate_on_submit():
        try:
            save_product_invoicing(product.id, form.data, _who())
        except InvoiceSettingsRefused as refused:
            _show_errors(form, refused)
        else:
            flash(_("Invoicing fields saved."), "success")
            return redirect(url_for("console.product_invoicing_list"))
    return render_template("admin/product_invoicing.html", form=form, product=product)


def _show_errors(form: FlaskForm, refused: InvoiceSettingsRefused) -> None:
    for name, message in refused.errors.items():
        if name in ISSUER_ERRORS:  # the review and the product list are not form fields
            flash(_(message), "error")
            continue
        form[name].errors = [*form[name].errors, _(message)]


def _certificate(form: InvoiceSettingsForm) -> invoice_issuer.Certificate | None:
    upload = form.certificate.data
    if upload is None or not upload.filename:
        return None
    return invoice_issuer.Certificate(upload.stream, upload.filename)


def _chosen_products() -> set[int] | None:
    """The products ticked on the page, or None when the page showed no list to tick."""
    if "products-shown" not in request.form:
        return None
    prefix = "product-"
    ticked = [key.removeprefix(prefix) for key in request.form if key.startswith(prefix)]
    return {int(key) for key in ticked if key.isdigit() and len(key) < 10}


def _issuer_values(stored, chosen, form: InvoiceSettingsForm) -> dict:
    """The invoice issuer's review on the page: state, reason, history, certificate, products."""
    code = form.tax_code.data or (stored.tax_code if stored else "")
    return {
        "issuer": stored,
        "history": reviews.history(invoice_issuer.ISSUER_KIND, stored.id) if stored else [],
        "certificate": issuer_queries.own_certificate(stored),
        "products": invoice_issuer.invoiceable_products(code),
        "chosen": chosen or set(),
        "missing": invoice_issuer.missing_for_review(stored) if stored else [],
    }


def _saved(row) -> str:
    if row.review_state == ReviewState.SUBMITTED:
        return _("Invoice settings saved; the invoice issuer is sent to the platform for review.")
    if invoice_issuer.missing_for_review(row):
        return _(
            "Invoice settings saved. Upload the tax registration certificate and choose the "
            "products to send the invoice issuer for review."
        )
    return _("Invoice settings saved.")


def _tag_labels() -> dict[str, str]:
    return {
        key: _("Ordinary goods") if key == NON_TAX else tax_tag_label(key)
        for key in DEFAULT_ELIGIBILITY
    }


def _who() -> str:
    return f"staff:{current_user.id} {current_user.name}"
