"""Checkout to completion through the pages, with the local Stripe server and signed events."""

import json
import re
import time
import uuid
from decimal import Decimal as D

import pytest
import stripe
from flask import current_app
from sqlalchemy import func, select

from storefront.extensions import db
from storefront.integrations import payment_provider
from storefront.models import Notification, Order, Payment, ProviderEvent, QuotaMovement, Review
from storefront.models.orders import Checkout
from storefront.services import fulfilment
from storefront.services.upkeep import customs_upkeep
from storefront.tenancy import system_context, tenant_context
from tests.conftest import WEBHOOK_SECRET
from tests.support import factories
from tests.support.localstripe import authenticate, confirm_card
from tests.web.helpers import login_shopper, login_staff

VISA, DECLINED, THREE_DS = "4242 4242 4242 4242", "4000 0000 0000 0341", "4000 0027 6000 3184"


def signed(event: dict) -> tuple[bytes, dict]:
    payload = json.dumps(event)
    timestamp = int(time.time())
    signature = stripe.WebhookSignature._compute_signature(f"{timestamp}.{payload}", WEBHOOK_SECRET)
    return payload.encode(), {
        "Stripe-Signature": f"t={timestamp},v1={signature}",
        "Content-Type": "application/json",
    }


def succeeded_event(reference: str, event_id: str = "evt_1", **changes) -> dict:
    """The provider's payment_intent.succeeded event, built from the intent as it stands."""
    intent = payment_provider().client.payment_intents.retrieve(reference).to_dict()
    intent.update(changes)
    return {
        "id": event_id,
        "object": "event",
        "type": "payment_intent.succeeded",
        "created": int(time.time()),
        "data": {"object": intent},
    }


def place_and_pay(client, store, card=VISA):
    slug = store.tenant.slug
    login_shopper(client, store.tenant, store.shopper)
    client.post(f"/s/{slug}/cart/items", data={"product_id": store.product.id, "quantity": 1})
    page = client.get(f"/s/{slug}/checkout").get_data(as_text=True)
    assert "77.45" in page and "877.45" in page
    token = page.split('name="token" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        f"/s/{slug}/checkout",
        data={
            "address_id": store.address.id,
            "identity_id": store.identity.id,
            "token": token,
            "expected_total": "877.45",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    checkout_path = response.headers["Location"]
    response = client.post(checkout_path, data={"method": "card"})
    order = db.session.scalar(
        select(Order).where(Order.shopper_id == store.shopper.id).order_by(Order.id.desc())
    )
    if card:  # typed into Stripe's element: from the browser to the payment server, not us
        confirm_card(current_app.config["STRIPE_API_BASE"], client_secret(response), card)
    return order, response


def client_secret(response) -> str:
    return response.get_data(as_text=True).split('data-client-secret="')[1].split('"')[0]


def placed_with_payment(client, store):
    """Place and pay by card: the order and its payment attempt, not yet confirmed."""
    with tenant_context(store.tenant.id):
        order, _ = place_and_pay(client, store)
        payment = db.session.scalar(select(Payment).where(Payment.checkout_id == order.checkout_id))
    return order, payment


def confirm(client, payment, event_id: str) -> None:
    """Deliver the provider's signed success event for the payment."""
    body, headers = signed(succeeded_event(payment.reference, event_id))
    assert client.post("/webhooks/stripe", data=body, headers=headers).status_code == 200


def refund(client, order, amount: str, key: str | None = None):
    """Refund from the console, confirmed, as one request with its own key."""
    data = {"amount": amount, "request_key": key or uuid.uuid4().hex, "confirmed": "y"}
    return client.post(f"/admin/orders/{order.id}/refund", data=data)


@pytest.fixture
def a(tenants):
    return tenants.a


def test_card_payment_is_confirmed_only_by_the_verified_event(client, a):
    with tenant_context(a.tenant.id):
        order, response = place_and_pay(client, a)
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert 'id="card-element"' in page and "card_number" not in page
        assert order.status == "pending_payment"  # the card page does not mark it paid
        payment = db.session.scalar(
            select(Payment).where(
                Payment.checkout_id == order.checkout_id, Payment.status == "succeeded"
            )
        )
        assert payment is None
        payment = db.session.scalar(select(Payment).where(Payment.checkout_id == order.checkout_id))
        assert (payment.amount, payment.goods_total, payment.tax_total) == (
            D("877.45"),
            D("800.00"),
            D("77.45"),
        )
    body, headers = signed(succeeded_event(payment.reference))
    assert client.post("/webhooks/stripe", data=body, headers=headers).status_code == 200
    with tenant_context(a.tenant.id):
        db.session.refresh(order)
        db.session.refresh(payment)
        assert order.status == "paid" and order.paid_at is not None
        assert payment.status == "succeeded" and payment.serial_number
    page = client.get(f"/s/{a.tenant.slug}/orders/{order.id}").get_data(as_text=True)
    assert "待发货" in page


def test_replayed_and_out_of_order_events_change_nothing(client, a):
    order, payment = placed_with_payment(client, a)
    body, headers = signed(succeeded_event(payment.reference, "evt_dup"))
    client.post("/webhooks/stripe", data=body, headers=headers)
    replay = client.post("/webhooks/stripe", data=body, headers=headers)
    assert replay.get_json() == {"received": True, "duplicate": True}
    failed = succeeded_event(payment.reference, "evt_late_fail")
    failed["type"] = "payment_intent.payment_failed"
    body, headers = signed(failed)
    client.post("/webhooks/stripe", data=body, headers=headers)
    with tenant_context(a.tenant.id):
        db.session.refresh(order)
        db.session.refresh(payment)
        assert (order.status, payment.status) == ("paid", "succeeded")
        moves = [(e.from_status, e.to_status) for e in order.events]
        assert moves == [(None, "pending_payment"), ("pending_payment", "paid")]
    with system_context():
        assert (
            db.session.scalar(
                select(ProviderEvent).where(ProviderEvent.event_id == "evt_dup")
            ).outcome
            == "paid"
        )


def test_bad_signatures_are_refused_and_mismatched_amounts_or_currencies_not_paid(client, a):
    order, payment = placed_with_payment(client, a)
    body, headers = signed(succeeded_event(payment.reference, "evt_bad"))
    tampered = client.post("/webhooks/stripe", data=body.replace(b"87745", b"1"), headers=headers)
    assert tampered.status_code == 400
    assert tampered.get_json()["error"]["code"] == "invalid_signature"
    with tenant_context(a.tenant.id):
        payment.currency = "USD"  # what we asked for differs from what the provider took
        db.session.commit()
    confirm(client, payment, "evt_usd")
    with tenant_context(a.tenant.id):
        payment.currency, payment.amount = "CNY", D("900.00")
        db.session.commit()
    confirm(client, payment, "evt_short")
    with tenant_context(a.tenant.id):
        db.session.refresh(order)
        db.session.refresh(payment)
        assert (order.status, payment.status) == ("pending_payment", "requires_action")
        assert "expected 900.00 CNY" in payment.failure


def test_a_declined_card_stays_on_the_card_page_and_the_order_stays_payable(client, a):
    with tenant_context(a.tenant.id):
        order, response = place_and_pay(client, a, card=None)
        status, body = confirm_card(
            current_app.config["STRIPE_API_BASE"], client_secret(response), DECLINED
        )
        assert (status, body["error"]["code"]) == (402, "card_declined")
        assert "银行卡被拒" in response.get_data(as_text=True)  # the page's message for it
        assert order.status == "pending_payment"


def test_three_d_secure_is_answered_in_stripe_js_and_the_old_page_is_gone(client, a):
    with tenant_context(a.tenant.id):
        order, response = place_and_pay(client, a, card=THREE_DS)
        payment = db.session.scalar(select(Payment).where(Payment.checkout_id == order.checkout_id))
    assert payment_provider().retrieve(payment.reference).status == "requires_action"
    authenticate(current_app.config["STRIPE_API_BASE"], client_secret(response), True)
    assert payment_provider().retrieve(payment.reference).status == "succeeded"
    # the local 3-D Secure page of old (a 500 once the language link dropped its secret)
    gone = client.get(f"/s/{a.tenant.slug}/payments/{payment.id}/authenticate?lang=en")
    assert gone.status_code == 404


def test_a_cancelled_three_d_secure_says_so_in_the_page(client, a):
    with tenant_context(a.tenant.id):
        _, response = place_and_pay(client, a, card=None)
    page = response.get_data(as_text=True)
    assert "3-D Secure" in page and "未扣款" in page  # data-message-authentication, in Chinese
    assert "正在等待支付机构确认付款" not in page


def test_merchant_ships_shopper_receives_reviews_merchant_completes(client, a):
    order_id = a.order.id  # the factory's paid order
    login_staff(client, a.owner)
    bad = client.post(
        f"/admin/orders/{order_id}/ship", data={"carrier": "SF", "tracking_number": "x"}
    )
    assert bad.status_code == 400
    ok = client.post(
        f"/admin/orders/{order_id}/ship",
        data={"carrier": "SF", "tracking_number": "sf1234567890123"},
    )
    assert ok.status_code == 302
    again = client.post(f"/admin/orders/{order_id}/complete")
    assert again.status_code == 409  # not received yet: refused with a message
    client.post("/admin/logout")
    login_shopper(client, a.tenant, a.shopper)
    page = client.get(f"/s/{a.tenant.slug}/orders/{order_id}").get_data(as_text=True)
    assert "SF1234567890123" in page and "顺丰速运" in page
    assert "unread-count" in page
    client.post(f"/s/{a.tenant.slug}/orders/{order_id}/receive")
    client.post(
        f"/s/{a.tenant.slug}/orders/{order_id}/review",
        data={"line_id": a.order.lines[0].id, "rating": "5", "body": "很好"},
    )
    client.post(f"/s/{a.tenant.slug}/logout")
    login_staff(client, a.owner)
    assert client.post(f"/admin/orders/{order_id}/complete").status_code == 302
    detail = client.get(f"/admin/orders/{order_id}").get_data(as_text=True)
    for status in ("已发货", "已收货", "已完成"):
        assert status in detail
    with tenant_context(a.tenant.id):
        assert db.session.scalar(select(Review.rating)) == 5
        kinds = db.session.scalars(select(Notification.kind)).all()
        assert "shipped" in kinds


def test_partial_then_full_refund_through_the_provider_releases_quota(client, a):
    order, payment = placed_with_payment(client, a)
    confirm(client, payment, "evt_paid_refund")
    client.post(f"/s/{a.tenant.slug}/logout")
    login_staff(client, a.owner)
    detail = client.get(f"/admin/orders/{order.id}").get_data(as_text=True)
    assert re.search(r'<input[^>]*name="amount"[^>]*value=""', detail)  # no pre-filled total
    asked = client.post(
        f"/admin/orders/{order.id}/refund", data={"amount": "100.00", "request_key": "k" * 32}
    )
    assert asked.status_code == 200 and "确定向顾客退还订单" in asked.get_data(as_text=True)
    assert "¥100.00" in asked.get_data(as_text=True)
    assert refund(client, order, "877.46").status_code == 409
    assert refund(client, order, "100.00").status_code == 302
    assert refund(client, order, "777.45").status_code == 302
    with tenant_context(a.tenant.id):
        db.session.refresh(order)
        assert (order.status, order.refunded) == ("refunded", D("877.45"))
    with system_context():
        total = sum(
            db.session.scalars(
                select(QuotaMovement.annual_amount).where(QuotaMovement.order_id == order.id)
            )
        )
    assert total == D("0.00")


def test_a_paid_order_the_merchant_cancels_is_then_refunded(client, a):
    order, payment = placed_with_payment(client, a)
    confirm(client, payment, "evt_paid_cancel")
    client.post(f"/s/{a.tenant.slug}/logout")
    login_staff(client, a.owner)
    assert client.post(f"/admin/orders/{order.id}/cancel").status_code == 302
    detail = client.get(f"/admin/orders/{order.id}").get_data(as_text=True)
    assert f"/admin/orders/{order.id}/refund" in detail  # cancelled, yet paid: refund offered
    assert refund(client, order, "877.45").status_code == 302
    with tenant_context(a.tenant.id):
        db.session.refresh(order)
        assert (order.status, order.refunded) == ("cancelled", D("877.45"))
        assert order.events[-1].reason == "refund"


def test_orders_list_filters_and_exports(client, a):
    login_staff(client, a.owner)
    listing = client.get(f"/admin/orders?status=paid&number={a.order.number[-6:]}")
    assert a.order.number in listing.get_data(as_text=True)
    assert a.order.number not in client.get("/admin/orders?status=shipped").get_data(as_text=True)
    csv = client.get("/admin/orders/export.csv").get_data(as_text=True)
    assert csv.startswith("\ufeff订单号") and a.order.number in csv and "877.45" in csv
    xlsx = client.get("/admin/orders/export.xlsx")
    assert xlsx.data[:2] == b"PK"


def test_a_return_is_accepted_after_receipt_then_refunded(client, a):
    order, payment = placed_with_payment(client, a)
    confirm(client, payment, "evt_paid_return")
    client.post(f"/s/{a.tenant.slug}/logout")
    login_staff(client, a.owner)
    assert client.post(f"/admin/orders/{order.id}/return").status_code == 409  # not received
    shipped_by_hand = client.post(
        f"/admin/orders/{order.id}/ship",
        data={"carrier": "ZTO", "tracking_number": "75312345678901"},
    )
    assert shipped_by_hand.status_code == 400  # declared: the bonded warehouse ships it
    for _step in ("three documents accepted", "released and shipped"):
        customs_upkeep()  # what cron runs
    with tenant_context(a.tenant.id):
        db.session.refresh(order)
        assert order.status == "shipped" and order.carrier == "SF"
        db.session.refresh(order)
        fulfilment.confirm_receipt(order)
    assert (
        client.post(f"/admin/orders/{order.id}/return", data={"reason": "尺码不合适"}).status_code
        == 302
    )
    refund(client, order, "877.45")
    with tenant_context(a.tenant.id):
        db.session.refresh(order)
        moves = [(e.from_status, e.to_status) for e in order.events][-2:]
    assert moves == [("received", "returned"), ("returned", "refunded")]


def test_an_exchange_ships_a_replacement_to_confirm_again(client, a):
    login_staff(client, a.owner)
    client.post(
        f"/admin/orders/{a.order.id}/ship",
        data={"carrier": "SF", "tracking_number": "SF1111111111111"},
    )
    with tenant_context(a.tenant.id):
        fulfilment.confirm_receipt(a.order)
    plain = client.post(
        f"/admin/orders/{a.order.id}/ship",
        data={"carrier": "SF", "tracking_number": "SF2222222222222"},
    )
    assert plain.status_code == 409  # a received order is only re-shipped as an exchange
    swap = client.post(
        f"/admin/orders/{a.order.id}/ship",
        data={"carrier": "SF", "tracking_number": "SF2222222222222", "exchange": "1"},
    )
    assert swap.status_code == 302
    with tenant_context(a.tenant.id):
        db.session.refresh(a.order)
        assert (a.order.status, a.order.tracking_number) == ("shipped", "SF2222222222222")
        assert a.order.events[-1].reason == "exchange_shipped"


def test_another_shoppers_address_or_identity_places_nothing(client, tenants):
    a, b = tenants.a, tenants.b
    slug = a.tenant.slug
    login_shopper(client, a.tenant, a.shopper)
    client.post(f"/s/{slug}/cart/items", data={"product_id": a.product.id, "quantity": 1})
    with tenant_context(a.tenant.id):
        neighbour = factories.shopper("neighbour@example.com")
        theirs = factories.address(neighbour)
    before = _checkouts()
    for address_id, identity_id in (
        (theirs.id, a.identity.id),  # another shopper of the store
        (b.address.id, a.identity.id),  # a shopper of another store
        (a.address.id, b.identity.id),
    ):
        page = client.get(f"/s/{slug}/checkout").get_data(as_text=True)
        token = page.split('name="token" type="hidden" value="')[1].split('"')[0]
        data = {"address_id": address_id, "identity_id": identity_id, "token": token}
        assert client.post(f"/s/{slug}/checkout", data=data).status_code == 404
    assert _checkouts() == before


def _checkouts() -> int:
    with system_context():
        return db.session.scalar(select(func.count()).select_from(Checkout))
