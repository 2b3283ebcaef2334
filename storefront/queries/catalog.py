"""Catalogue lookups for the storefront and the console."""

from dataclasses import dataclass
from functools import cache

from flask import abort
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload, selectinload

from storefront.extensions import db
from storefront.models import Product, Supplier
from storefront.queries.paging import counted_page


def store_products(page: int, per_page: int):
    """Return one page of the store's active products, newest first."""
    # one statement, not a page and a count
    return counted_page(_store_products_statement(), page, per_page)


def active_product_or_404(product_id: int) -> Product:
    """Return the store's active product, or 404 (another store's id is simply not found)."""
    product = db.session.scalar(_active_product_statement(), {"product_id": product_id})
    if product is None:
        abort(404)
    return product


# The store home's and product page's statements are built once per process: building them
# took a sizeable share of those pages' CPU, and a statement kept is one whose cache key
# SQLAlchemy (and the tenant filter) work out once.


@cache
def _store_products_statement():
    return (
        select(Product)
        .where(Product.active)
        .options(joinedload(Product.tax_template), joinedload(Product.supplier))
        .order_by(Product.id.desc())
    )


@cache
def _active_product_statement():
    return (
        select(Product)
        .where(Product.id == bindparam("product_id"), Product.active)
        .options(joinedload(Product.tax_template), joinedload(Product.supplier))
        .limit(1)
    )


def suppliers() -> list[Supplier]:
    """Return the merchant's suppliers by name."""
    return db.session.scalars(select(Supplier).order_by(Supplier.name)).all()


def supplier_or_404(supplier_id: int) -> Supplier:
    return db.first_or_404(select(Supplier).where(Supplier.id == supplier_id))


@dataclass(frozen=True)
class ProductFilters:
    tag: str | None = None  # a tax tag, or "none" for non-tax products
    template_id: int | None = None
    search: str = ""


def console_products(filters: ProductFilters, page: int, per_page: int):
    """Return one page of the merchant's products matching the filters, newest first."""
    statement = filtered_products(filters).order_by(Product.id.desc())
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def active_products(filters: ProductFilters):
    """Return the statement of the store's active products matching the filters (unordered:
    the caller pages it)."""
    return filtered_products(filters).where(Product.active)


def filtered_products(filters: ProductFilters):
    """Return the statement of the products matching the filters, with template and supplier."""
    statement = select(Product).options(
        selectinload(Product.tax_template), selectinload(Product.supplier)
    )
    if filters.tag == "none":
        statement = statement.where(Product.tax_tag.is_(None))
    elif filters.tag:
        statement = statement.where(Product.tax_tag == filters.tag)
    if filters.template_id:
        statement = statement.where(Product.tax_template_id == filters.template_id)
    if filters.search:
        pattern = f"%{filters.search}%"
        statement = statement.where(Product.name.ilike(pattern) | Product.sku.ilike(pattern))
    return statement


def product_or_404(product_id: int) -> Product:
    return db.first_or_404(select(Product).where(Product.id == product_id))
