"""The Stripe plugin with the official library against the local Stripe-compatible server."""

import json
import threading
import time
import urllib.request
from decimal import Decimal as D
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar

import pytest
import stripe

from plugins.stripe_payments import StripePayments
from plugins.stripe_payments.localserver import register_webhook
from plugins.stripe_payments.provider import event_from_dict, intent_view
from storefront.ports import InvalidSignature, PaymentError, PaymentSlip
from tests.conftest import WEBHOOK_SECRET
from tests.support.localstripe import approve_wallet, authenticate, confirm_card, local_stripe
from tests.support.servers import free_port


def slip(method="card", amount="1234.56", key="k1") -> PaymentSlip:
    return PaymentSlip(
        order_numbers=("KJ202611220000000001", "KJ202611220000000002"),
        currency="CNY",
        goods_total=D("1000.00"),
        tax_total=D("222.56"),
        freight_total=D("12.00"),
        amount_total=D(amount),
        payer_name="张三",
        payer_id_number="11010519491231002X",
        payer_phone="13800138000",
        method=method,
        return_url="http://127.0.0.1/return",
        idempotency_key=key,
    )


def paid_by_card(provider, server, number="4242424242424242", **slip_args):
    """Create the intent as the shop does, then confirm it as Stripe.js does in the page."""
    view = provider.create_payment(slip(**slip_args))
    status, body = confirm_card(server, view.client_secret, number)
    return view, status, body


def test_a_card_intent_waits_for_the_page_then_succeeds_with_the_slip(
    stripe_provider, stripe_server
):
    view = stripe_provider.create_payment(slip(key="ok-1"))
    assert (view.status, view.next_action) == ("requires_payment_method", "confirm_card")
    assert view.client_secret.startswith(view.reference)
    assert confirm_card(stripe_server, view.client_secret, "4242424242424242")[0] == 200
    paid = stripe_provider.retrieve(view.reference)
    assert (paid.status, paid.amount, paid.currency) == ("succeeded", D("1234.56"), "CNY")
    assert paid.serial_number.startswith("ch_")
    intent = stripe_provider.client.payment_intents.retrieve(view.reference).to_dict()
    assert intent["amount"] == 123456
    assert intent["metadata"]["order_numbers"] == "KJ202611220000000001,KJ202611220000000002"
    assert intent["metadata"]["tax_total"] == "222.56"
    assert intent["metadata"]["payer_id"] == "110***002X"


def test_the_port_has_no_test_only_card_operations(stripe_provider):
    assert not hasattr(stripe_provider, "create_card_method")
    assert not hasattr(stripe_provider, "complete_authentication")


def test_a_retry_with_the_same_key_gets_the_same_intent(stripe_provider):
    first = stripe_provider.create_payment(slip(key="retry-1"))
    again = stripe_provider.create_payment(slip(key="retry-1"))
    assert first.reference == again.reference


def test_a_declined_card_is_a_card_error_in_the_page(stripe_provider, stripe_server):
    view, status, body = paid_by_card(
        stripe_provider, stripe_server, "4000000000000341", key="declined-1"
    )
    assert (status, body["error"]["code"]) == (402, "card_declined")
    assert stripe_provider.retrieve(view.reference).status == "requires_payment_method"
    assert confirm_card(stripe_server, view.client_secret, "4242424242424242")[0] == 200


def test_an_empty_card_is_refused_by_the_payment_server(stripe_provider, stripe_server):
    view = stripe_provider.create_payment(slip(key="empty-1"))
    status, body = confirm_card(stripe_server, view.client_secret, "")
    assert (status, body["error"]["code"]) == (402, "incomplete_number")


def test_three_d_secure_requires_action_then_completes(stripe_provider, stripe_server):
    view, status, body = paid_by_card(
        stripe_provider, stripe_server, "4000002760003184", key="3ds-1"
    )
    assert (status, body["status"]) == (200, "requires_action")
    assert authenticate(stripe_server, view.client_secret, success=True)[0] == 200
    assert stripe_provider.retrieve(view.reference).status == "succeeded"


def test_full_and_partial_refunds(stripe_provider, stripe_server):
    view, _, _ = paid_by_card(stripe_provider, stripe_server, key="refund-1")
    partial = stripe_provider.refund(view.reference, D("234.56"), "refund-1-a")
    assert partial.amount == D("234.56")
    rest = stripe_provider.refund(view.reference, D("1000.00"), "refund-1-b")
    assert rest.amount == D("1000.00")
    assert stripe_provider.retrieve(view.reference).refunded_amount == D("1234.56")


def test_a_live_intent_can_be_cancelled(stripe_provider):
    view = stripe_provider.create_payment(slip(key="cancel-1"))
    assert stripe_provider.cancel(view.reference).status == "canceled"


def test_stripe_js_is_served_with_the_card_confirmation(stripe_server):
    with urllib.request.urlopen(f"{stripe_server}/js.stripe.com/v3/") as response:  # noqa: S310
        script = response.read().decode()
    assert "confirmCardPayment" in script and "confirm_card" in script


class _Receiver(BaseHTTPRequestHandler):
    received: ClassVar[list] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((body, self.headers["Stripe-Signature"]))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_the_server_sends_signed_webhooks_that_parse_and_verify(stripe_provider, stripe_server):
    receiver = HTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    register_webhook(
        stripe_server, "test", f"http://127.0.0.1:{receiver.server_port}/", WEBHOOK_SECRET
    )
    view, _, _ = paid_by_card(stripe_provider, stripe_server, key="hook-1", amount="88.00")

    def ours(body: bytes) -> bool:
        event = json.loads(body)
        return (
            event["type"] == "payment_intent.succeeded"
            and event["data"]["object"]["id"] == view.reference
        )

    body, signature = _first_received(receiver, ours)
    event = stripe_provider.parse_event(body, signature)
    assert (event.reference, event.amount, event.status) == (
        view.reference,
        D("88.00"),
        "succeeded",
    )
    assert event.serial_number
    with pytest.raises(InvalidSignature):
        stripe_provider.parse_event(body.replace(b"8800", b"8801"), signature)
    with pytest.raises(InvalidSignature):
        stripe_provider.parse_event(body, signature.replace("v1=", "v1=0"))


def signed(event: dict, secret: str = WEBHOOK_SECRET) -> tuple[bytes, str]:
    """Sign an event of the real Stripe shape as Stripe would."""
    payload = json.dumps(event)
    timestamp = int(time.time())
    signature = stripe.WebhookSignature._compute_signature(f"{timestamp}.{payload}", secret)
    return payload.encode(), f"t={timestamp},v1={signature}"


WECHAT_INTENT = {
    "id": "pi_wechat",
    "object": "payment_intent",
    "amount": 56100,
    "currency": "cny",
    "status": "requires_action",
    "client_secret": "pi_wechat_secret",
    "next_action": {
        "type": "wechat_pay_display_qr_code",
        "wechat_pay_display_qr_code": {
            "data": "weixin://wxpay/bizpayurl?pr=abc",
            "image_url_png": "https://qr.example/a.png",
            "image_data_url": "data:image/png;base64,AAA",
            "hosted_instructions_url": "https://x",
        },
    },
}
ALIPAY_INTENT = {
    "id": "pi_alipay",
    "object": "payment_intent",
    "amount": 10000,
    "currency": "cny",
    "status": "requires_action",
    "client_secret": "pi_alipay_secret",
    "next_action": {
        "type": "alipay_handle_redirect",
        "alipay_handle_redirect": {
            "url": "https://pm-redirects.stripe.com/authorize/acct_1/pa_nonce_1",
            "return_url": "http://127.0.0.1/return",
        },
    },
}


def test_wechat_pay_and_alipay_next_actions_map_from_the_real_shape():
    wechat = intent_view(WECHAT_INTENT)
    assert (wechat.next_action, wechat.qr_data, wechat.amount) == (
        "wechat_qr",
        "weixin://wxpay/bizpayurl?pr=abc",
        D("561.00"),
    )
    alipay = intent_view(ALIPAY_INTENT)
    assert (alipay.next_action, alipay.redirect_url) == (
        "redirect",
        "https://pm-redirects.stripe.com/authorize/acct_1/pa_nonce_1",
    )


def test_signed_wechat_pay_success_event_maps_the_payment_return(stripe_provider):
    succeeded = dict(
        WECHAT_INTENT,
        status="succeeded",
        next_action=None,
        latest_charge={
            "id": "ch_wx_1",
            "object": "charge",
            "billing_details": {"name": "张三"},
            "payment_method_details": {
                "type": "wechat_pay",
                "wechat_pay": {"fingerprint": "fp_abc", "transaction_id": "4200"},
            },
        },
    )
    body, header = signed(
        {
            "id": "evt_wx_1",
            "object": "event",
            "type": "payment_intent.succeeded",
            "created": 1795000000,
            "data": {"object": succeeded},
        }
    )
    event = stripe_provider.parse_event(body, header)
    assert (event.reference, event.serial_number, event.amount) == (
        "pi_wechat",
        "ch_wx_1",
        D("561.00"),
    )
    assert (event.payer.name, event.payer.account_type, event.payer.account) == (
        "张三",
        "wechat_pay",
        "fp_abc",
    )


def test_an_event_signed_with_another_secret_is_refused(stripe_provider):
    body, header = signed(
        {
            "id": "evt_x",
            "object": "event",
            "type": "payment_intent.succeeded",
            "created": 1795000000,
            "data": {"object": ALIPAY_INTENT},
        },
        "whsec_other",
    )
    with pytest.raises(InvalidSignature):
        stripe_provider.parse_event(body, header)


def test_refund_events_carry_the_refunded_amount():
    event = event_from_dict(
        {
            "id": "evt_r",
            "type": "charge.refunded",
            "created": 1795000000,
            "data": {
                "object": {
                    "id": "ch_1",
                    "object": "charge",
                    "payment_intent": "pi_1",
                    "amount": 10000,
                    "amount_refunded": 2500,
                    "currency": "cny",
                    "status": "succeeded",
                }
            },
        }
    )
    assert (event.reference, event.refunded_amount) == ("pi_1", D("25.00"))


def test_wallet_refunds_are_pending_then_a_signed_charge_refunded_follows(
    stripe_provider, stripe_server
):
    receiver = HTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    register_webhook(
        stripe_server, "test", f"http://127.0.0.1:{receiver.server_port}/", WEBHOOK_SECRET
    )
    view = stripe_provider.create_payment(slip("wechat_pay", key="wx-refund", amount="100.00"))
    approve_wallet(stripe_server, view.reference)
    refund = stripe_provider.refund(view.reference, D("40.00"), "wx-refund-1")
    assert (refund.status, refund.amount) == ("pending", D("40.00"))
    with pytest.raises(PaymentError):  # more than is left
        stripe_provider.refund(view.reference, D("60.01"), "wx-refund-2")

    def ours(body: bytes) -> bool:
        event = json.loads(body)
        return (
            event["type"] == "charge.refunded"
            and event["data"]["object"].get("payment_intent") == view.reference
        )

    body, signature = _first_received(receiver, ours)
    event = stripe_provider.parse_event(body, signature)
    assert (event.reference, event.refunded_amount) == (view.reference, D("40.00"))
    assert stripe_provider.retrieve(view.reference).refunded_amount == D("40.00")


def test_the_local_server_keeps_its_payments_across_a_restart(tmp_path):
    state, port = str(tmp_path / "localstripe.pickle"), free_port()
    with local_stripe(state, port) as server:
        provider = StripePayments("sk_test_local", WEBHOOK_SECRET, api_base=server)
        card, _, _ = paid_by_card(provider, server, key="before-restart")
        wallet = provider.create_payment(slip("alipay", key="wallet-before-restart"))
        approve_wallet(server, wallet.reference)
    with local_stripe(state, port) as server:
        provider = StripePayments("sk_test_local", WEBHOOK_SECRET, api_base=server)
        assert provider.retrieve(card.reference).status == "succeeded"
        assert provider.refund(card.reference, D("1.00"), "after-restart-1").amount == D("1.00")
        assert provider.refund(wallet.reference, D("1.00"), "after-restart-2").amount == D("1.00")
        again = provider.create_payment(slip(key="before-restart"))  # idempotency kept too
        assert again.reference == card.reference


def _first_received(receiver, wanted) -> tuple[bytes, str]:
    """Wait (10 s at most) for the first signed event `wanted` accepts, then stop listening."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not any(wanted(b) for b, _ in _Receiver.received):
        time.sleep(0.1)
    receiver.shutdown()
    receiver.server_close()
    return next((b, s) for b, s in _Receiver.received if wanted(b))
