"""Inbound provider callbacks: which tenant's account an event may touch."""

from sqlalchemy import select

from storefront.domain.errors import ErrorCode, Refused
from storefront.extensions import db
from storefront.models import Payment, ProviderEvent
from storefront.ports import PaymentEvent
from storefront.services.payments import record_event
from storefront.tenancy import system_context


def accept_payment_event(
    event: PaymentEvent, plugin_id: str, account_tenant_id: int | None
) -> tuple[ProviderEvent, int | None] | None:
    """Record a verified event once; a tenant's own account may touch only its own payments.

    A tenant knows its own signing secret, so without this check it could sign an event
    for another tenant's payment reference.
    """
    if account_tenant_id is not None and event.reference:
        with system_context():
            owner = db.session.scalar(
                select(Payment.tenant_id).where(Payment.reference == event.reference)
            )
        if owner is not None and owner != account_tenant_id:
            raise Refused(ErrorCode.FOREIGN_PAYMENT, "the event names a payment of another account")
    return record_event(event, plugin_id)
