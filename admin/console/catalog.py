"""Suppliers and products of the merchant."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from admin.console import bp
from admin.forms import SupplierForm
from storefront.queries import catalog as catalog_queries
from storefront.services import catalog
from storefront.services.errors import Conflict


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
        except Conflict:
            form.name.errors.append(_("A supplier with this name already exists."))
        else:
            flash(_("Supplier saved."), "success")
            return redirect(url_for("console.suppliers"))
    title = _("Edit supplier") if supplier else _("New supplier")
    return render_template("admin/form_page.html", form=form, title=title)


@bp.route("/products")
def products():
    page = request.args.get("page", 1, type=int)
    listing = catalog_queries.console_products(page, current_app.config["PAGE_SIZE"])
    return render_template("admin/products.html", products=listing)
