"""Tax template and limit policy lookups for the console."""

from sqlalchemy import func, select

from storefront.extensions import db
from storefront.models import LimitPolicyRow, Product, TaxTemplate


def templates_in_use() -> list[tuple[TaxTemplate, int]]:
    """Return every template with the number of products using it."""
    usage = (
        select(Product.tax_template_id, func.count().label("products"))
        .group_by(Product.tax_template_id)
        .subquery()
    )
    rows = db.session.execute(
        select(TaxTemplate, func.coalesce(usage.c.products, 0))
        .outerjoin(usage, usage.c.tax_template_id == TaxTemplate.id)
        .order_by(TaxTemplate.name)
    )
    return [tuple(row) for row in rows]


def template_or_404(template_id: int) -> TaxTemplate:
    return db.first_or_404(select(TaxTemplate).where(TaxTemplate.id == template_id))


def templates() -> list[TaxTemplate]:
    return db.session.scalars(select(TaxTemplate).order_by(TaxTemplate.name)).all()


def limit_policies() -> list[LimitPolicyRow]:
    return db.session.scalars(select(LimitPolicyRow).order_by(LimitPolicyRow.effective_from)).all()
