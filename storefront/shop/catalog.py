"""Store home and product pages; the platform landing page."""

from flask import current_app, g, render_template, request
from sqlalchemy import select

from storefront.extensions import db
from storefront.input_hardening import page_number
from storefront.models import Tenant
from storefront.queries.catalog import active_product_or_404, store_products
from storefront.queries.reviews import product_reviews
from storefront.services.cart import estimate_product_tax
from storefront.shop import bp, site


@site.route("/")
def index():
    # only stores that take orders: one opening soon or suspended keeps its own page (issue 13)
    open_now = (Tenant.active, Tenant.opened_at.is_not(None), Tenant.suspended_at.is_(None))
    stores = db.session.scalars(select(Tenant).where(*open_now).order_by(Tenant.id)).all()
    return render_template("shop/index.html", stores=stores)


@bp.route("/")
def home():
    page = request.args.get("page", 1, type=page_number)
    products = store_products(page, current_app.config["PAGE_SIZE"])
    return render_template("shop/home.html", products=products)


@bp.route("/products/<int:product_id>")
def product(product_id: int):
    product = active_product_or_404(product_id)
    estimate = estimate_product_tax(g.tenant, product)
    return render_template(
        "shop/product.html",
        product=product,
        estimate=estimate,
        reviews=product_reviews(product.id),
    )
