"""The payment port on Stripe PaymentIntents, with the official `stripe` library.

Amounts cross the boundary in fen (integers); the core speaks Decimal yuan.
"""

import json
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal

import stripe

from plugins.stripe_payments.settings import LocalStripeSettingsForm, StripeSettingsForm
from storefront.ports import (
    InvalidSignature,
    PayerDetails,
    PaymentDeclined,
    PaymentError,
    PaymentEvent,
    PaymentIntentView,
    PaymentSlip,
    Port,
    ProviderUnavailable,
    RefundView,
    Settlement,
)

FEN = Decimal(100)
# The local server accepts any key that starts with sk_: this one is no secret.
LOCAL_SECRET_KEY = "sk_test_local"  # noqa: S105
LOCAL_PUBLISHABLE_KEY = "pk_test_local"  # the local server's Stripe.js wants a pk_ key
# Signatures older than five minutes are refused by the library; events dated more than
# that into the future are refused here (clock skew allowed, a forged date is not).
FUTURE_TOLERANCE_SECONDS = 300


def to_fen(amount: Decimal) -> int:
    fen = amount * FEN
    if fen != fen.to_integral_value():
        raise ValueError(f"{amount} has fractions of a fen")
    return int(fen)


def from_fen(fen: int | None) -> Decimal | None:
    return None if fen is None else (Decimal(fen) / FEN).quantize(Decimal("0.01"))


class StripePayments:
    PLUGIN_ID = "stripe"
    KIND = Port.PAYMENT
    SANDBOX = "stripe_local"
    SECRET_FIELDS = ("secret_key", "webhook_secret")
    SettingsForm = StripeSettingsForm
    SIGNATURE_HEADER = "Stripe-Signature"

    def __init__(
        self,
        secret_key: str,
        webhook_secret: str,
        api_base: str | None = None,
        publishable_key: str | None = None,
    ):
        options = {"base_addresses": {"api": api_base}} if api_base else {}
        self.stripe = stripe.StripeClient(
            secret_key, max_network_retries=0 if api_base else 2, **options
        )
        self.client = self.stripe.v1
        self.webhook_secret = webhook_secret
        self.publishable_key = publishable_key  # the same account's key for Stripe.js
        self.local = api_base is not None

    @classmethod
    def from_settings(cls, settings) -> "StripePayments":
        return cls(
            settings["secret_key"],
            settings["webhook_secret"],
            settings.get("api_base"),
            settings.get("publishable_key"),
        )

    def create_payment(self, slip: PaymentSlip) -> PaymentIntentView:
        """Create a PaymentIntent for the slip (seed 004 [0021]).

        Wallets are confirmed here; a card intent waits for the page to confirm it with
        Stripe.js and the client secret, so card data never reaches the shop.
        """
        params = {
            "amount": to_fen(slip.amount_total),
            "currency": slip.currency.lower(),
            "metadata": _slip_metadata(slip),
            **_method_params(slip),
        }
        intent = self._call(self.client.payment_intents.create, params, slip.idempotency_key)
        return intent_view(intent.to_dict())

    def retrieve(self, reference: str) -> PaymentIntentView:
        params = {"expand": ["latest_charge"]}
        intent = self._call(self.client.payment_intents.retrieve, params, ref=reference)
        return intent_view(intent.to_dict())

    def cancel(self, reference: str) -> PaymentIntentView:
        intent = self._call(self.client.payment_intents.cancel, {}, ref=reference)
        return intent_view(intent.to_dict())

    def refund(self, reference: str, amount: Decimal, idempotency_key: str) -> RefundView:
        params = {"payment_intent": reference, "amount": to_fen(amount)}
        refund = self._call(self.client.refunds.create, params, idempotency_key).to_dict()
        return RefundView(
            refund["id"], refund.get("status") or "pending", from_fen(refund["amount"])
        )

    def parse_event(self, raw_body: bytes, signature_header: str) -> PaymentEvent:
        """Verify the signature over the raw body, then map the event."""
        # what stripe.Webhook.construct_event checks, in its order, without building the
        # library's object tree only to turn it back into a dict (most of a callback's CPU)
        try:
            payload = raw_body.decode("utf-8")
            stripe.WebhookSignature.verify_header(
                payload, signature_header, self.webhook_secret, stripe.Webhook.DEFAULT_TOLERANCE
            )
            event = json.loads(payload)
        except stripe.SignatureVerificationError as error:
            raise InvalidSignature("invalid_signature", "the signature does not match") from error
        except ValueError as error:
            raise InvalidSignature("invalid_payload", "the body is not an event") from error
        return event_from_dict(event)

    def settlements(self, created_from: datetime, created_to: datetime) -> tuple[Settlement, ...]:
        """Return the account's balance transactions created in the period, every page.

        The source is expanded to name the PaymentIntent a charge or refund belongs to.
        """
        params = {
            "created": {"gte": int(created_from.timestamp()), "lte": int(created_to.timestamp())},
            "limit": 100,  # Stripe's largest page
            "expand": ["data.source"],
        }
        with _mapped_errors():
            page = self.client.balance_transactions.list(params=params)
            return tuple(settlement_from_dict(item.to_dict()) for item in page.auto_paging_iter())

    def _call(self, method, params, idempotency_key=None, ref=None):
        options = {"idempotency_key": idempotency_key} if idempotency_key else {}
        args = (ref,) if ref else ()
        with _mapped_errors():
            return method(*args, params=params, options=options)


@contextmanager
def _mapped_errors():
    """Turn the library's errors into the port's."""
    try:
        yield
    except stripe.CardError as error:
        raise PaymentDeclined("card_declined", error.user_message or str(error)) from error
    except stripe.APIConnectionError as error:
        raise ProviderUnavailable("unavailable", "the payment service is unreachable") from error
    except stripe.StripeError as error:
        raise PaymentError("provider_error", error.user_message or str(error)) from error


class LocalStripePayments(StripePayments):
    """The sandbox twin: the same adapter against the local Stripe-compatible server."""

    PLUGIN_ID = "stripe_local"
    SANDBOX = PLUGIN_ID
    LOCAL_ONLY = True  # it calls a server on this machine: never offered in production
    SECRET_FIELDS = ("webhook_secret",)
    SettingsForm = LocalStripeSettingsForm

    @classmethod
    def from_settings(cls, settings) -> "LocalStripePayments":
        return cls(
            LOCAL_SECRET_KEY,
            settings["webhook_secret"],
            settings["api_base"],
            LOCAL_PUBLISHABLE_KEY,
        )


def _slip_metadata(slip: PaymentSlip) -> dict:
    masked = f"{slip.payer_id_number[:3]}***{slip.payer_id_number[-4:]}"
    return {
        "order_numbers": ",".join(slip.order_numbers),
        "goods_total": str(slip.goods_total),
        "tax_total": str(slip.tax_total),
        "freight_total": str(slip.freight_total),
        "payer_name": slip.payer_name,
        "payer_id": masked if slip.payer_id_number else "",
        "payer_phone": slip.payer_phone,
        **slip.metadata,
    }


def _method_params(slip: PaymentSlip) -> dict:
    if slip.method == "card":
        return {"payment_method_types": ["card"]}
    if slip.method == "wechat_pay":
        return {
            "confirm": True,
            "payment_method_types": ["wechat_pay"],
            "payment_method_data": {"type": "wechat_pay"},
            "payment_method_options": {"wechat_pay": {"client": "web"}},
        }
    if slip.method == "alipay":
        return {
            "confirm": True,
            "payment_method_types": ["alipay"],
            "payment_method_data": {"type": "alipay"},
            "return_url": slip.return_url,
        }
    raise PaymentError("unknown_method", f"unknown payment method {slip.method!r}")


def intent_view(intent: dict) -> PaymentIntentView:
    """Map a PaymentIntent (Stripe's JSON shape) to the port's view."""
    action = intent.get("next_action") or {}
    kind = action.get("type")
    view = {"next_action": None, "redirect_url": None, "qr_image_url": None, "qr_data": None}
    if kind == "wechat_pay_display_qr_code":
        qr = action["wechat_pay_display_qr_code"]
        view.update(
            next_action="wechat_qr",
            qr_image_url=qr.get("image_url_png"),
            qr_data=qr.get("data"),
            redirect_url=qr.get("hosted_instructions_url"),
        )
    elif kind == "alipay_handle_redirect":
        view.update(next_action="redirect", redirect_url=action["alipay_handle_redirect"]["url"])
    elif intent["status"] in ("requires_payment_method", "requires_action"):
        view.update(next_action="confirm_card")  # Stripe.js confirms, 3-D Secure included
    charge = intent.get("latest_charge")
    charge = charge if isinstance(charge, dict) else {"id": charge}
    return PaymentIntentView(
        reference=intent["id"],
        status=intent["status"],
        amount=from_fen(intent["amount"]),
        currency=intent["currency"].upper(),
        client_secret=intent.get("client_secret"),
        refunded_amount=from_fen(charge.get("amount_refunded") or 0),
        serial_number=charge.get("id"),
        payer=_payer(charge),
        payment_id=(intent.get("metadata") or {}).get("payment_id"),
        **view,
    )


def event_from_dict(event: dict) -> PaymentEvent:
    """Map a Stripe event (payment_intent.* or charge.*); a malformed one is refused."""
    try:
        return _event(event)
    except (KeyError, TypeError, ValueError, AttributeError, ArithmeticError) as error:
        raise InvalidSignature("invalid_payload", "the event is malformed") from error


def _event(event: dict) -> PaymentEvent:
    obj = event["data"]["object"]
    created = datetime.fromtimestamp(int(event["created"]), UTC)
    kind = obj.get("object")
    if kind == "payment_intent":
        reference, charge = obj["id"], obj.get("latest_charge")
    else:  # a charge, or what hangs off one (dispute, refund)
        reference, charge = (
            obj.get("payment_intent"),
            obj if kind == "charge" else obj.get("charge"),
        )
    charge = charge if isinstance(charge, dict) else {"id": charge}
    refunded = charge.get("amount_refunded")
    mapped = PaymentEvent(
        event_id=_required(event["id"]),
        type=_required(event["type"]),
        created=created,
        reference=_text(reference),
        status=_text(obj.get("status")),
        amount=from_fen(_fen(obj.get("amount"))),
        currency=(_text(obj.get("currency")) or "").upper() or None,
        serial_number=_text(charge.get("id")),
        processed_at=created,
        exchange_rate=_exchange_rate(obj),
        payer=_payer(charge),
        refunded_amount=from_fen(_fen(refunded)),
        payment_id=_text((obj.get("metadata") or {}).get("payment_id")),
    )
    if created.timestamp() > time.time() + FUTURE_TOLERANCE_SECONDS:
        raise InvalidSignature("invalid_payload", "the event is dated in the future")
    return mapped


def _required(value) -> str:
    if not isinstance(value, str) or not value:
        raise TypeError("expected a non-empty text")
    return value


def _text(value) -> str | None:
    if value is not None and not isinstance(value, str):
        raise TypeError("expected text")
    return value


def _fen(value) -> int | None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise TypeError("expected an integer amount")
    return value


def _payer(charge: dict) -> PayerDetails:
    billing = charge.get("billing_details") or {}
    details = charge.get("payment_method_details") or {}
    method_details = details.get(details.get("type") or "", {}) or {}
    return PayerDetails(
        name=billing.get("name"),
        account=method_details.get("buyer_id")
        or method_details.get("last4")
        or method_details.get("fingerprint"),
        account_type=details.get("type"),
        bank_name=method_details.get("brand") or method_details.get("issuer"),
    )


def _exchange_rate(obj: dict) -> Decimal | None:
    rate = (obj.get("metadata") or {}).get("exchange_rate")
    return Decimal(rate) if rate else None


def settlement_from_dict(txn: dict) -> Settlement:
    """Map a balance transaction (Stripe's JSON shape, source expanded or not)."""
    source = txn.get("source")
    source = source if isinstance(source, dict) else {"id": source}
    intent = source.get("payment_intent")
    intent = intent.get("id") if isinstance(intent, dict) else intent
    available = txn.get("available_on")
    return Settlement(
        transaction_id=txn["id"],
        type=txn["type"],
        source=source["id"],
        payment_reference=intent,
        amount=from_fen(txn["amount"]),
        fee=from_fen(txn.get("fee") or 0),
        net=from_fen(txn["net"]),
        currency=txn["currency"].upper(),
        created=datetime.fromtimestamp(txn["created"], UTC),
        available_on=datetime.fromtimestamp(available, UTC) if available else None,
        payout_id=source["id"] if txn["type"] == "payout" else None,
    )
