"""Customs filings of the store (企业备案) and of its tax products (商品备案)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from admin.console import bp
from admin.filing_forms import CustomsFilingForm, ProductFilingForm
from storefront.queries import customs_filings as filing_queries
from storefront.services import customs_filings


@bp.route("/filings", methods=["GET", "POST"])
def customs_filing():
    filing = filing_queries.store_filing()
    form = CustomsFilingForm(obj=filing)
    if form.validate_on_submit():
        changed = customs_filings.save_customs_filing(form.data, _who())
        flash(_saved(changed), "success")
        return redirect(url_for("console.customs_filing"))
    return render_template(
        "admin/customs_filing.html",
        form=form,
        filing=filing,
        counts=filing_queries.product_filing_counts(),
    )


@bp.route("/products/<int:product_id>/filing", methods=["GET", "POST"])
def product_filing(product_id: int):
    product = filing_queries.tax_product_or_404(product_id)
    filing = filing_queries.product_filing(product.id)
    form = ProductFilingForm(obj=filing, direct_mail=product.tax_tag == "direct_mail")
    if form.validate_on_submit():
        changed = customs_filings.save_product_filing(product.id, form.data, _who())
        flash(_saved(changed), "success")
        return redirect(url_for("console.products"))
    return render_template("admin/product_filing.html", form=form, filing=filing, product=product)


def _saved(changed: bool) -> str:
    return _("Filing sent to the platform for review.") if changed else _("Nothing changed.")


def _who() -> str:
    return f"staff:{current_user.id} {current_user.name}"
