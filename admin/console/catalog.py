"""Suppliers and products of the merchant."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from admin.console import bp
from admin.console.messages import console_message
from admin.forms import TAX_TAGS, ProductForm, SupplierForm, choices
from storefront.domain.errors import Refused
from storefront.input_hardening import page_number, record_id
from storefront.queries import catalog as catalog_queries
from storefront.queries import customs_filings as filing_queries
from storefront.queries import tax as tax_queries
from storefront.services import catalog


@bp.route("/suppliers")
def suppliers():
    return render_template("admin/suppliers.html", suppliers=catalog_queries.suppliers())


@bp.route("/suppliers/new", methods=["GET", "POST"])
@bp.route("/suppliers/<int:supplier_id>/edit", methods=["GET", "POST"])
def edit_supplier(supplier_id: int | None = None):
    supplier = catalog_queries.supplier_or_404(supplier_id) if supplier_id else None
    form = SupplierForm(obj=supplier)
    if form.validate_on_submit():
        try:
            catalog.save_supplier(supplier, form.data)
        except Refused as refused:
            form.name.errors.append(console_message(refused))
        else:
            flash(_("Supplier saved."), "success")
            return redirect(url_for("console.suppliers"))
    title = _("Edit supplier") if supplier else _("New supplier")
    return render_template("admin/form_page.html", form=form, title=title)


@bp.route("/products")
def products():
    filters = catalog_queries.ProductFilters(
        tag=request.args.get("tag") or None,
        template_id=request.args.get("template_id", type=record_id),
        search=request.args.get("q", "").strip(),
    )
    page = request.args.get("page", 1, type=page_number)
    listing = catalog_queries.console_products(filters, page, current_app.config["PAGE_SIZE"])
    return render_template(
        "admin/products.html",
        products=listing,
        filters=filters,
        templates=tax_queries.templates(),
        tags=TAX_TAGS,
        filing_statuses=filing_queries.filing_statuses(p.id for p in listing.items),
    )


@bp.route("/products/new", methods=["GET", "POST"])
@bp.route("/products/<int:product_id>/edit", methods=["GET", "POST"])
def edit_product(product_id: int | None = None):
    product = catalog_queries.product_or_404(product_id) if product_id else None
    form = ProductForm(obj=product)
    if product is not None and request.method == "GET":
        form.is_tax_product.data = product.is_tax_product
        form.tax_tag.data = product.tax_tag or "cross_border_retail"
    form.supplier_id.choices = choices((s.id, s.name) for s in catalog_queries.suppliers())
    form.tax_template_id.choices = choices(
        [(0, "—")] + [(t.id, t.name) for t in tax_queries.templates()]
    )
    if form.validate_on_submit():
        try:
            catalog.save_product(product, form.data)
        except Refused as refused:
            form.sku.errors.append(console_message(refused))
        else:
            flash(_("Product saved."), "success")
            return redirect(url_for("console.products"))
    title = _("Edit product") if product else _("New product")
    return render_template("admin/product_form.html", form=form, title=title, product=product)
