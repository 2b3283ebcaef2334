"""Provider events applied by reconciling with the provider: drift, refunds made on the
provider's side, lost disputes, unwanted second charges, and hostile events."""

import time
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from storefront.extensions import db
from storefront.integrations import payment_provider
from storefront.models import Payment, ProviderEvent, QuotaMovement, Refund
from storefront.services.payments import start_payment
from storefront.tenancy import system_context, tenant_context
from tests.web.test_checkout_flow import (
    confirm,
    place_and_pay,
    placed_with_payment,
    signed,
    succeeded_event,
)


@pytest.fixture
def a(tenants):
    return tenants.a


def deliver(client, event: dict) -> int:
    body, headers = signed(event)
    return client.post("/webhooks/stripe", data=body, headers=headers).status_code


def charge_event(payment: Payment, event_id: str, kind: str = "charge.refunded") -> dict:
    intent = payment_provider().client.payment_intents.retrieve(payment.reference).to_dict()
    charge_id = intent["latest_charge"]
    charge_id = charge_id["id"] if isinstance(charge_id, dict) else charge_id
    charge = payment_provider().client.charges.retrieve(charge_id).to_dict()
    charge["amount_refunded"] = sum(r["amount"] for r in charge["refunds"]["data"])
    return {
        "id": event_id,
        "object": "event",
        "type": kind,
        "created": int(time.time()),
        "data": {"object": charge},
    }


def held_quota(order) -> D:
    with system_context():
        return db.session.scalar(
            select(func.sum(QuotaMovement.annual_amount)).where(QuotaMovement.order_id == order.id)
        )


def refunded_at_provider(payment: Payment, amount: str, key: str) -> None:
    """A refund made on the provider's dashboard, not through the shop."""
    payment_provider().refund(payment.reference, D(amount), key)


def test_a_refund_made_at_the_provider_moves_the_order_like_a_console_refund(client, a):
    order, payment = placed_with_payment(client, a)
    confirm(client, payment, "evt_paid_dash")
    refunded_at_provider(payment, "300.00", "dash-1")
    assert deliver(client, charge_event(payment, "evt_dash_1")) == 200
    with tenant_context(a.tenant.id):
        db.session.refresh(order)
        assert (order.status, order.refunded) == ("paid", D("300.00"))
        last = order.events[-1]
        assert (last.reason, last.reason_params) == ("partial_refund", {"amount": "300.00"})
        assert db.session.scalar(select(Refund.source)) == "provider"
    assert held_quota(order) == D("577.45")  # 877.45 - 300.00: the refunded share released
    refunded_at_provider(payment, "577.45", "dash-2")
    deliver(client, charge_event(payment, "evt_dash_2"))
    deliver(client, charge_event(payment, "evt_dash_2_again"))  # a second notice: no change
    with tenant_context(a.tenant.id):
        db.session.refresh(order)
        assert (order.status, order.refunded) == ("refunded", D("877.45"))
        assert db.session.scalar(select(func.count()).select_from(Refund)) == 2
    assert held_quota(order) == D("0.00")


def test_a_lost_dispute_refunds_the_order(client, a):
    order, payment = placed_with_payment(client, a)
    confirm(client, payment, "evt_paid_dispute")
    dispute = {
        "id": "dp_1",
        "object": "dispute",
        "amount": 87745,
        "currency": "cny",
        "charge": "ch_x",
        "payment_intent": payment.reference,
        "status": "lost",
    }
    event = {"type": "charge.dispute.closed", "created": int(time.time())}
    for event_id in ("evt_dp", "evt_dp_again"):  # a second notice of the same loss
        assert deliver(client, dict(event, id=event_id, data={"object": dispute})) == 200
    with tenant_context(a.tenant.id):
        db.session.refresh(order)
        assert (order.status, order.refunded) == ("refunded", D("877.45"))
        assert db.session.scalars(select(Refund.source)).all() == ["dispute"]


def test_a_refund_event_before_the_success_event_leaves_the_order_refunded(client, a):
    order, payment = placed_with_payment(client, a)
    refunded_at_provider(payment, "877.45", "early-refund")
    assert deliver(client, charge_event(payment, "evt_refund_first")) == 200
    with tenant_context(a.tenant.id):
        db.session.refresh(order)
        assert (order.status, order.refunded) == ("refunded", D("877.45"))
        moves = [(e.from_status, e.to_status) for e in order.events]
    assert ("pending_payment", "paid") in moves and ("paid", "refunded") in moves


def test_a_success_after_the_shopper_cancelled_is_refunded_and_logged(client, a):
    order, payment = placed_with_payment(client, a)
    client.post(f"/s/{a.tenant.slug}/orders/{order.id}/cancel")
    confirm(client, payment, "evt_after_cancel")
    with tenant_context(a.tenant.id):
        db.session.refresh(order)
        db.session.refresh(payment)
        assert (order.status, payment.status, payment.refunded) == (
            "cancelled",
            "refunded",
            D("877.45"),
        )
        assert order.events[-1].reason == "unwanted_payment_refunded"
    assert payment_provider().retrieve(payment.reference).refunded_amount == D("877.45")


def test_a_payment_whose_reference_was_never_saved_is_found_by_its_metadata(client, a):
    order, payment = placed_with_payment(client, a)
    reference = payment.reference
    with tenant_context(a.tenant.id):
        payment.reference = None  # the worker died between the provider's answer and our commit
        db.session.commit()
    body, headers = signed(succeeded_event(reference, "evt_lost_reference"))
    assert client.post("/webhooks/stripe", data=body, headers=headers).status_code == 200
    with tenant_context(a.tenant.id):
        db.session.refresh(order)
        db.session.refresh(payment)
        assert (order.status, payment.reference) == ("paid", reference)


def test_a_retry_after_a_lost_reference_gets_the_same_intent_back(client, a):
    with tenant_context(a.tenant.id):
        order, _ = place_and_pay(client, a, card=None)
        payment = db.session.scalar(select(Payment).where(Payment.checkout_id == order.checkout_id))
        reference = payment.reference
        payment.reference, payment.status = None, "created"  # crashed before saving it
        db.session.commit()
        again, view = start_payment(order.checkout, "card", "http://127.0.0.1/back")
        assert (again.id, view.reference, again.reference) == (payment.id, reference, reference)


def test_one_checkout_has_one_live_payment(client, a):
    with tenant_context(a.tenant.id):
        order, _ = place_and_pay(client, a, card=None)  # a card intent, not confirmed
        card = db.session.scalar(select(Payment).where(Payment.checkout_id == order.checkout_id))
        checkout = order.checkout
        first, view = start_payment(checkout, "wechat_pay", "http://127.0.0.1/back")
        again, same = start_payment(checkout, "wechat_pay", "http://127.0.0.1/back")
        db.session.refresh(card)
        assert card.status == "canceled"  # switching method cancels the earlier intent
        assert (again.id, same.reference) == (first.id, view.reference)
        live = db.session.scalar(
            select(func.count())
            .select_from(Payment)
            .where(Payment.checkout_id == checkout.id, Payment.status == "requires_action")
        )
    assert live == 1
    assert payment_provider().retrieve(card.reference).status == "canceled"


@pytest.mark.parametrize(
    "broken",
    [
        {"data": None},
        {"data": {"object": None}},
        {"data": {"object": {"object": "payment_intent"}}},
        {"created": "yesterday"},
        {"created": None},
        {"id": None, "type": None},
        {"data": {"object": {"object": "payment_intent", "id": "pi_1", "amount": "12"}}},
        {"data": {"object": {"object": "payment_intent", "id": "pi_1", "amount": 1.5}}},
        {"data": {"object": {"object": "charge", "payment_intent": 7}}},
        {"data": {"object": {"id": "pi_1", "object": "payment_intent", "metadata": "x"}}},
        {"data": {"object": {"id": "pi_1", "object": "payment_intent", "currency": 3}}},
        {"data": {"object": {"id": "pi_1", "object": "payment_intent", "latest_charge": 5}}},
        {"data": {"object": {"id": "pi_1", "metadata": {"exchange_rate": "x"}}}},
    ],
)
def test_malformed_signed_events_are_a_400_not_a_500(client, broken):
    event = {"id": "evt_m", "object": "event", "type": "payment_intent.succeeded"}
    event.update(created=int(time.time()), data={"object": {"id": "pi_1"}})
    event.update(broken)
    body, headers = signed(event)
    response = client.post("/webhooks/stripe", data=body, headers=headers)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_payload"


def test_an_event_dated_a_day_ahead_is_refused(client, a):
    _order, payment = placed_with_payment(client, a)
    event = succeeded_event(payment.reference, "evt_future")
    event["created"] = int(time.time()) + 86400
    assert deliver(client, event) == 400
    with system_context():
        assert db.session.scalar(select(func.count()).select_from(ProviderEvent)) == 0
