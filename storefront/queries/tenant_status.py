"""A store as the platform operator sees its status: suspended or open, and the history."""

from sqlalchemy import select

from storefront.extensions import db
from storefront.models import PlatformOperator, Tenant, TenantStatusEvent
from storefront.services.errors import NotFound
from storefront.tenancy import tenant_context


def store_or_404(tenant_id: int) -> Tenant:
    """Return the store (any store: the operator's view), or raise NotFound."""
    tenant = db.session.scalar(select(Tenant).where(Tenant.id == tenant_id))
    if tenant is None:
        raise NotFound("Tenant")
    return tenant


def status_history(tenant_id: int) -> list[tuple[TenantStatusEvent, str]]:
    """Return the store's suspensions and reinstatements, newest first, with who did them."""
    with tenant_context(tenant_id):
        rows = db.session.execute(
            select(TenantStatusEvent, PlatformOperator.name)
            .join(PlatformOperator, PlatformOperator.id == TenantStatusEvent.operator_id)
            .order_by(TenantStatusEvent.id.desc())
        ).all()
    return [(event, name) for event, name in rows]


def latest_suspension_reason(tenant_id: int) -> str | None:
    """The reason of the store's last suspension (shown to its staff while it lasts)."""
    with tenant_context(tenant_id):
        return db.session.scalar(
            select(TenantStatusEvent.reason)
            .where(TenantStatusEvent.action == "suspended")
            .order_by(TenantStatusEvent.id.desc())
            .limit(1)
        )
