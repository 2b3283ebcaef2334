"""The catalog: active products with their tax badge and tax estimate, cursor-paged."""

from typing import Literal

from flask import g
from pydantic import Field

from storefront.api import bp
from storefront.api.auth import PUBLIC_READ
from storefront.api.operation import operation
from storefront.api.pagination import PageQuery, paginate
from storefront.api.schemas import Product, ProductDetail, ProductPage, TaxBadge
from storefront.cart_quote import quote_json
from storefront.domain.money import format_money
from storefront.i18n import tax_tag_label
from storefront.models import Product as ProductRow
from storefront.queries.catalog import ProductFilters, active_product_or_404, active_products
from storefront.services.cart import estimate_product_tax

TagFilter = Literal[
    "cross_border_retail", "domestic_dropship", "overseas_consolidation", "direct_mail", "none"
]


class CatalogQuery(PageQuery):
    tag: TagFilter | None = Field(None, description="A tax tag, or `none` for ordinary goods")
    search: str = Field("", max_length=100, description="Part of the name or SKU")


@bp.route("/stores/<store_slug>/products", methods=["GET"])
@operation(access=PUBLIC_READ, query=CatalogQuery, responses={200: ProductPage}, tags=("catalog",))
def products(query: CatalogQuery):
    """The store's products, newest first, with tax badges and estimates."""
    filters = ProductFilters(tag=query.tag, search=query.search.strip())
    page = paginate(active_products(filters), ProductRow.id, query)
    return ProductPage(
        items=[Product(**product_fields(row)) for row in page.items],
        next_cursor=page.next_cursor,
    )


@bp.route("/stores/<store_slug>/products/<int:product_id>", methods=["GET"])
@operation(access=PUBLIC_READ, responses={200: ProductDetail}, tags=("catalog",))
def product(product_id: int):
    """One product, with its description and stock."""
    row = active_product_or_404(product_id)
    return ProductDetail(**product_fields(row), description=row.description, stock=row.stock)


def product_fields(row: ProductRow) -> dict:
    """The fields of a product as the list and the detail show them."""
    estimate = estimate_product_tax(g.tenant, row)
    badge = TaxBadge(tag=row.tax_tag, label=tax_tag_label(row.tax_tag)) if row.tax_tag else None
    return {
        "id": row.id,
        "name": row.name,
        "price": format_money(row.price),
        "in_stock": row.stock > 0,
        "supplier": row.supplier.name,
        "tax": badge,
        "tax_estimate": quote_json(estimate) if estimate else None,
    }
