"""Scheduled upkeep across stores: each store's sweep runs in its own tenant context."""

from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from storefront.extensions import db
from storefront.models import Tenant
from storefront.models.types import utcnow
from storefront.services.fulfilment import sweep
from storefront.services.order_events import deliver_due
from storefront.tenancy import tenant_context


def sweep_all_stores() -> dict[str, dict[str, int]]:
    """Expire unpaid orders and auto-confirm receipt in every active store."""
    config, now = current_app.config, utcnow()
    ttl = timedelta(minutes=config["UNPAID_ORDER_TTL_MINUTES"])
    receipt = timedelta(days=config["AUTO_RECEIPT_DAYS"])
    stores = db.session.execute(select(Tenant.id, Tenant.slug).where(Tenant.active)).all()
    results = {}
    for tenant_id, slug in stores:
        with tenant_context(tenant_id):
            results[slug] = sweep(now, ttl, receipt)
            results[slug]["delivered"] = deliver_due()
    return results
