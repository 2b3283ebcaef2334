"""Customs filings of the store (企业备案) and of its tax products (商品备案), with the
platform's review of each: its state, the operator's last reason and the history."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from admin.console import bp
from admin.console.messages import console_message
from admin.filing_forms import CustomsFilingForm, ProductFilingForm
from storefront.domain.errors import Refused
from storefront.queries import customs_filings as filing_queries
from storefront.services import customs_filings, reviews


@bp.route("/filings", methods=["GET", "POST"])
def customs_filing():
    filing = filing_queries.store_filing()
    form = CustomsFilingForm(obj=filing)
    if form.validate_on_submit():
        try:
            changed = customs_filings.save_customs_filing(form.data, current_user.email)
        except Refused as refused:
            flash(console_message(refused), "error")
        else:
            flash(_saved(changed), "success")
            return redirect(url_for("console.customs_filing"))
    return render_template(
        "admin/customs_filing.html",
        form=form,
        filing=filing,
        history=_history(customs_filings.ENTERPRISE_KIND, filing),
        counts=filing_queries.product_filing_counts(),
    )


@bp.route("/products/<int:product_id>/filing", methods=["GET", "POST"])
def product_filing(product_id: int):
    product = filing_queries.tax_product_or_404(product_id)
    filing = filing_queries.product_filing(product.id)
    form = ProductFilingForm(obj=filing, direct_mail=product.tax_tag == "direct_mail")
    if form.validate_on_submit():
        try:
            changed = customs_filings.save_product_filing(product.id, form.data, current_user.email)
        except Refused as refused:
            flash(console_message(refused), "error")
        else:
            flash(_saved(changed), "success")
            return redirect(url_for("console.products"))
    return render_template(
        "admin/product_filing.html",
        form=form,
        filing=filing,
        product=product,
        history=_history(customs_filings.PRODUCT_KIND, filing),
    )


def _history(kind: str, filing) -> list:
    # the filing was loaded through the tenant filter: its history is the store's own
    return reviews.history(kind, filing.id) if filing is not None else []


def _saved(changed: bool) -> str:
    return _("Filing sent to the platform for review.") if changed else _("Nothing changed.")
