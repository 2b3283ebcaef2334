"""Figures for the merchant dashboard."""

from sqlalchemy import func, select

from storefront.extensions import db
from storefront.models import Product, Shopper, Supplier, TaxTemplate


def tenant_counts() -> dict[str, int]:
    """Count the merchant's main records."""
    models = {
        "products": Product,
        "suppliers": Supplier,
        "templates": TaxTemplate,
        "shoppers": Shopper,
    }
    return {
        name: db.session.scalar(select(func.count()).select_from(model))
        for name, model in models.items()
    }
