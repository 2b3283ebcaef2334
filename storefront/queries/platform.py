"""Cross-tenant figures for the platform operator (always inside system_context)."""

from sqlalchemy import func, select

from storefront.extensions import db
from storefront.models import Product, Shopper, StaffUser, Tenant
from storefront.tenancy import system_context


def tenant_overview() -> list[dict]:
    """Return every tenant with its product, shopper and staff counts."""
    with system_context():
        tenants = db.session.scalars(select(Tenant).order_by(Tenant.id)).all()
        counts = {model: _count_by_tenant(model) for model in (Product, Shopper, StaffUser)}
    return [
        {
            "tenant": tenant,
            "products": counts[Product].get(tenant.id, 0),
            "shoppers": counts[Shopper].get(tenant.id, 0),
            "staff": counts[StaffUser].get(tenant.id, 0),
        }
        for tenant in tenants
    ]


def _count_by_tenant(model) -> dict[int, int]:
    rows = db.session.execute(select(model.tenant_id, func.count()).group_by(model.tenant_id))
    return dict(rows.all())
