"""Scheduled upkeep across stores: each store's sweep runs in its own tenant context."""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from storefront.extensions import db
from storefront.models import Tenant
from storefront.models.types import utcnow
from storefront.services import idempotency
from storefront.services.area_reports import generate_due
from storefront.services.fulfilment import sweep
from storefront.services.order_events import deliver_due
from storefront.services.outbox import dispatch_pending
from storefront.tenancy import tenant_context


def sweep_all_stores() -> dict[str, dict[str, int]]:
    """Expire unpaid orders, auto-confirm receipt, dispatch left-over events, send due
    webhooks and forget expired API idempotency keys in every active store."""
    config, now = current_app.config, utcnow()
    ttl = timedelta(minutes=config["UNPAID_ORDER_TTL_MINUTES"])
    receipt = timedelta(days=config["AUTO_RECEIPT_DAYS"])
    stores = db.session.execute(select(Tenant.id, Tenant.slug).where(Tenant.active)).all()
    results = {}
    for tenant_id, slug in stores:
        with tenant_context(tenant_id):
            results[slug] = sweep(now, ttl, receipt)
            # events a crashed or unreachable dispatcher left behind, then due webhooks
            results[slug]["events"] = dispatch_pending()
            results[slug]["delivered"] = deliver_due()
            results[slug]["idempotency_keys_purged"] = idempotency.purge_expired(now)
    return results


def customs_upkeep() -> dict[str, int]:
    """Take in what customs answered, then move every declaration that can move on."""
    from storefront.services.customs_upkeep import advance_each, collect_all, due_declarations

    report = collect_all()
    counts = advance_each(set(due_declarations()) | report.to_advance)
    return {"receipts": report.applied, **counts}


def monthly_reports(now: datetime) -> list[str]:
    """Generate last month's supervised-area report in every active store lacking it."""
    return generate_due(now)


def invoices_upkeep() -> dict[str, int]:
    """Ask again for invoices left written and collect accepted ones, in every store."""
    from storefront.services.invoice_issuing import invoice_upkeep

    return invoice_upkeep()
