"""The provider's records are pulled from every account and kept once per transaction."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from storefront.extensions import db
from storefront.integrations import registry
from storefront.models.payments import ProviderSettlement
from storefront.ports import Port, ProviderUnavailable
from storefront.services.integrations import save_plugin_settings
from storefront.services.settlements import pull_settlements
from storefront.tenancy import tenant_context
from tests.plugins.test_stripe_payments import paid_by_card
from tests.support.localstripe import local_stripe
from tests.support.servers import free_port


def period():
    now = datetime.now(UTC)
    return now - timedelta(minutes=5), now + timedelta(minutes=1)


def rows_of(reference: str) -> list[ProviderSettlement]:
    return db.session.scalars(
        select(ProviderSettlement)
        .where(ProviderSettlement.payment_reference == reference)
        .order_by(ProviderSettlement.amount)
    ).all()


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(ProviderSettlement))


def test_a_card_payment_is_found_with_its_reference_and_pulled_once(
    tenants, stripe_provider, stripe_server
):
    start, end = period()
    card, status, _ = paid_by_card(stripe_provider, stripe_server, key="pull-card")
    assert status == 200
    stripe_provider.refund(card.reference, D("34.56"), "pull-card-r")
    assert pull_settlements(start, end) >= 2
    refund, charge = rows_of(card.reference)
    assert (charge.type, charge.amount, charge.fee, charge.net) == (
        "charge",
        D("1234.56"),
        D("0.00"),
        D("1234.56"),
    )
    assert charge.source == stripe_provider.retrieve(card.reference).serial_number
    assert (charge.provider, charge.account_tenant_id, charge.currency) == ("stripe", None, "CNY")
    assert start <= charge.created_at <= end
    assert (refund.type, refund.amount) == ("refund", D("-34.56"))
    before = count()
    assert pull_settlements(start, end) == 0  # idempotent: updated, never duplicated
    assert count() == before


def test_a_store_on_its_own_account_is_pulled_too(tenants, stripe_provider):
    """A store with a provider account of its own (here: a second local server)."""
    start, end = period()
    with local_stripe() as own_server:
        with tenant_context(tenants.a.tenant.id):
            settings = {"api_base": own_server, "webhook_secret": "whsec_own"}
            save_plugin_settings(Port.PAYMENT, "stripe_local", settings, "owner")
            db.session.flush()
            own = registry.get(Port.PAYMENT, tenants.a.tenant.id)
        assert own is not registry.get(Port.PAYMENT, tenants.b.tenant.id)  # B: the platform's
        card, status, _ = paid_by_card(own, own_server, key="pull-own")
        assert status == 200
        pull_settlements(start, end)
    (charge,) = rows_of(card.reference)
    assert (charge.provider, charge.account_tenant_id) == ("stripe_local", tenants.a.tenant.id)


def test_an_unreachable_account_does_not_stop_the_others(tenants, stripe_provider, stripe_server):
    start, end = period()
    with tenant_context(tenants.a.tenant.id):
        settings = {"api_base": f"http://127.0.0.1:{free_port()}", "webhook_secret": "whsec_own"}
        save_plugin_settings(Port.PAYMENT, "stripe_local", settings, "owner")
        db.session.flush()
        with pytest.raises(ProviderUnavailable):
            registry.get(Port.PAYMENT, tenants.a.tenant.id).settlements(start, end)
    card, _, _ = paid_by_card(stripe_provider, stripe_server, key="pull-despite")
    pull_settlements(start, end)
    assert len(rows_of(card.reference)) == 1
