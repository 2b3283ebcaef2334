"""The platform operator suspends and reinstates a store; nothing of the store is deleted.

While `Tenant.suspended_at` is set the storefront shows a closed page, the checkout refuses
new orders, the merchant console is read-only; payments and customs of orders already
placed go on. Every change is a TenantStatusEvent (who, when, why).

The checkout reads the flag with a key-share lock and a suspension takes the row's update
lock, so a placement in flight either commits before the suspension or sees it.
"""

from functools import cache

from sqlalchemy import bindparam, select

from storefront.domain.errors import ErrorCode, Refused
from storefront.extensions import db
from storefront.models import PlatformOperator, Tenant, TenantStatusEvent
from storefront.models.staff_access import TenantAction
from storefront.models.types import utcnow
from storefront.services.errors import NotFound
from storefront.tenancy import tenant_context


def suspend(tenant_id: int, reason: str, operator: PlatformOperator) -> bool:
    """Suspend the store with a reason; False when it already was suspended."""
    return _change(tenant_id, TenantAction.SUSPENDED, reason, operator)


def reinstate(tenant_id: int, reason: str, operator: PlatformOperator) -> bool:
    """Reopen a suspended store with a reason; False when it was not suspended."""
    return _change(tenant_id, TenantAction.REINSTATED, reason, operator)


def refuse_if_suspended(tenant_id: int) -> None:
    """Raise Refused(STORE_SUSPENDED) when the store is suspended, or STORE_NOT_OPEN when its
    owner has not opened it yet (read from the row, locked against a concurrent suspension,
    never from a cached tenant)."""
    values = {"tenant_id": tenant_id}
    suspended_at, opened_at = db.session.execute(_state_statement(), values).one()
    if suspended_at is not None:
        raise Refused(ErrorCode.STORE_SUSPENDED)
    if opened_at is None:  # approved from an application, not yet opened (issue 13)
        raise Refused(ErrorCode.STORE_NOT_OPEN)


@cache
def _state_statement():
    """Built once per process: every placement runs it."""
    return (
        select(Tenant.suspended_at, Tenant.opened_at)
        .where(Tenant.id == bindparam("tenant_id"))
        .with_for_update(read=True, key_share=True)
    )


def _change(tenant_id: int, action: TenantAction, reason: str, operator) -> bool:
    reason = reason.strip()
    if not reason:
        raise ValueError("a suspension or reinstatement says why")
    tenant = db.session.scalar(
        select(Tenant)
        .where(Tenant.id == tenant_id)
        .with_for_update()
        .execution_options(populate_existing=True)  # the page read the store before the lock
    )
    if tenant is None:
        raise NotFound("Tenant")
    suspending = action == TenantAction.SUSPENDED
    if (tenant.suspended_at is not None) == suspending:
        db.session.rollback()
        return False
    tenant.suspended_at = utcnow() if suspending else None
    with tenant_context(tenant.id):
        db.session.add(
            TenantStatusEvent(action=action, reason=reason[:500], operator_id=operator.id)
        )
        db.session.flush()
    db.session.commit()
    return True
