"""Pulling the payment provider's own records (SPEC §8; seed 004 [0018]: the payment side of
reconciliation): every balance record of a period, from the platform's account and from each
store's own account, kept once per provider transaction.

A record is stored as the provider reports it and matched to payments later (by payment
reference); pulled again, it updates its row. A store whose provider fails is logged and
skipped, so one unreachable account never stops the others.
"""

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from storefront.extensions import db
from storefront.integrations import NotConfigured, registry, tenant_choice
from storefront.models import Tenant
from storefront.models.payments import ProviderSettlement
from storefront.models.types import utcnow
from storefront.ports import Port, PortError, Settlement

logger = logging.getLogger(__name__)
BATCH = 1000
# What a later pull may change; the account a record was first pulled from stays.
UPDATED = (
    "type",
    "source",
    "payment_reference",
    "amount",
    "fee",
    "net",
    "currency",
    "available_on",
    "payout_id",
    "fetched_at",
)


def pull_settlements(created_from: datetime, created_to: datetime) -> int:
    """Fetch every account's balance records created in the period and keep them; return how
    many were new (a record pulled before is updated, never duplicated)."""
    new = 0
    for tenant_id, provider in _accounts():
        try:
            records = provider.settlements(created_from, created_to)
        except PortError as error:
            logger.warning("settlements of account %s unavailable: %s", tenant_id, error.message)
            continue
        for start in range(0, len(records), BATCH):
            new += _keep(provider.PLUGIN_ID, tenant_id, records[start : start + BATCH])
    db.session.commit()
    return new


def _accounts() -> list[tuple[int | None, object]]:
    """The platform's payment account, then each store's own; an adapter once (stores that
    chose no provider pay through the platform's)."""
    found: dict[int, tuple[int | None, object]] = {}
    try:
        platform = registry.get(Port.PAYMENT, None)
        found[id(platform)] = (None, platform)
    except NotConfigured:
        pass
    for (tenant_id,) in db.session.execute(
        select(Tenant.id).where(Tenant.active).order_by(Tenant.id)
    ):
        if tenant_choice(Port.PAYMENT, tenant_id) is None:
            continue
        provider = registry.get(Port.PAYMENT, tenant_id)
        found.setdefault(id(provider), (tenant_id, provider))
    return list(found.values())


def _keep(provider: str, tenant_id: int | None, records: tuple[Settlement, ...]) -> int:
    """Upsert one batch by transaction id; return how many rows are new."""
    if not records:
        return 0
    ids = [record.transaction_id for record in records]
    known = set(
        db.session.scalars(
            select(ProviderSettlement.transaction_id).where(
                ProviderSettlement.transaction_id.in_(ids)
            )
        )
    )
    fetched = utcnow()
    rows = {record.transaction_id: _row(provider, tenant_id, record, fetched) for record in records}
    statement = insert(ProviderSettlement).values(list(rows.values()))
    statement = statement.on_conflict_do_update(
        index_elements=[ProviderSettlement.transaction_id],
        set_={name: statement.excluded[name] for name in UPDATED},
    )
    db.session.execute(statement)
    return len(rows.keys() - known)


def _row(provider: str, tenant_id: int | None, record: Settlement, fetched: datetime) -> dict:
    return {
        "provider": provider,
        "account_tenant_id": tenant_id,
        "transaction_id": record.transaction_id,
        "type": record.type,
        "source": record.source,
        "payment_reference": record.payment_reference,
        "amount": record.amount,
        "fee": record.fee,
        "net": record.net,
        "currency": record.currency,
        "created_at": record.created,
        "available_on": record.available_on,
        "payout_id": record.payout_id,
        "fetched_at": fetched,
    }
