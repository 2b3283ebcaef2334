"""Filing lookups of the merchant's own store (the operator's queues: queries.review_queues)."""

from sqlalchemy import func, select

from storefront.extensions import db
from storefront.models import CustomsFiling, Product, ProductFiling

MISSING = "missing"  # a tax product with no filing at all


def store_filing() -> CustomsFiling | None:
    """Return the current store's enterprise filing, if it made one."""
    return db.session.scalar(select(CustomsFiling))


def tax_product_or_404(product_id: int) -> Product:
    """Return the store's tax product (only tax products are filed), or 404."""
    return db.first_or_404(
        select(Product).where(Product.id == product_id, Product.tax_tag.is_not(None))
    )


def product_filing(product_id: int) -> ProductFiling | None:
    """Return the store's filing of one product, if any."""
    return db.session.scalar(select(ProductFiling).where(ProductFiling.product_id == product_id))


def filing_statuses(product_ids) -> dict[int, str]:
    """Map each of the store's products that has a filing to its review state (one query)."""
    rows = db.session.execute(
        select(ProductFiling.product_id, ProductFiling.review_state).where(
            ProductFiling.product_id.in_(list(product_ids))
        )
    )
    return dict(rows.all())


def product_filing_counts() -> dict[str, int]:
    """Count the store's tax products by filing review state (MISSING: not filed yet)."""
    rows = db.session.execute(
        select(ProductFiling.review_state, func.count())
        .select_from(Product)
        .outerjoin(ProductFiling, ProductFiling.product_id == Product.id)
        .where(Product.tax_tag.is_not(None))
        .group_by(ProductFiling.review_state)
    )
    return {state or MISSING: count for state, count in rows}
