"""The payment port on Stripe PaymentIntents, with the official `stripe` library.

Amounts cross the boundary in fen (integers); the core speaks Decimal yuan.
"""

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
)

FEN = Decimal(100)
# The local server accepts any key that starts with sk_: this one is no secret.
LOCAL_SECRET_KEY = "sk_test_local"  # noqa: S105


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

    def __init__(self, secret_key: str, webhook_secret: str, api_base: str | None = None):
        options = {"base_addresses": {"api": api_base}} if api_base else {}
        self.stripe = stripe.StripeClient(
            secret_key, max_network_retries=0 if api_base else 2, **options
        )
        self.client = self.stripe.v1
        self.webhook_secret = webhook_secret
        self.local = api_base is not None

    @classmethod
    def from_settings(cls, settings) -> "StripePayments":
        return cls(settings["secret_key"], settings["webhook_secret"], settings.get("api_base"))

    def create_card_method(self, number: str, exp_month: int, exp_year: int, cvc: str) -> str:
        """Tokenise a test card on the local server (real Stripe takes cards in its own form)."""
        card = {"number": number, "exp_month": exp_month, "exp_year": exp_year, "cvc": cvc}
        return self._call(self.client.payment_methods.create, {"type": "card", "card": card}).id

    def create_payment(self, slip: PaymentSlip) -> PaymentIntentView:
        """Create and confirm a PaymentIntent for the slip (seed 004 [0021])."""
        params = {
            "amount": to_fen(slip.amount_total),
            "currency": slip.currency.lower(),
            "metadata": _slip_metadata(slip),
            "confirm": True,
            **_method_params(slip),
        }
        intent = self._call(self.client.payment_intents.create, params, slip.idempotency_key)
        return intent_view(intent.to_dict())

    def retrieve(self, reference: str) -> PaymentIntentView:
        return intent_view(
            self._call(self.client.payment_intents.retrieve, None, ref=reference).to_dict()
        )

    def complete_authentication(self, reference: str, client_secret: str, success: bool) -> None:
        """Answer the local server's 3-D Secure challenge (it has no issuer page)."""
        if not self.local:
            raise PaymentError("not_local", "3-D Secure is completed on the issuer's page")
        try:
            self.stripe.raw_request(
                "post",
                f"/v1/payment_intents/{reference}/_authenticate",
                client_secret=client_secret,
                success="true" if success else "false",
            )
        except stripe.StripeError as error:
            raise PaymentError("provider_error", str(error)) from error

    def refund(self, reference: str, amount: Decimal, idempotency_key: str) -> RefundView:
        params = {"payment_intent": reference, "amount": to_fen(amount)}
        refund = self._call(self.client.refunds.create, params, idempotency_key).to_dict()
        return RefundView(
            refund["id"], refund.get("status") or "pending", from_fen(refund["amount"])
        )

    def parse_event(self, raw_body: bytes, signature_header: str) -> PaymentEvent:
        """Verify the signature over the raw body, then map the event."""
        try:
            event = stripe.Webhook.construct_event(raw_body, signature_header, self.webhook_secret)
        except stripe.SignatureVerificationError as error:
            raise InvalidSignature("invalid_signature", "the signature does not match") from error
        except ValueError as error:
            raise InvalidSignature("invalid_payload", "the body is not an event") from error
        return event_from_dict(event.to_dict())

    def _call(self, method, params, idempotency_key=None, ref=None):
        options = {"idempotency_key": idempotency_key} if idempotency_key else {}
        args = (ref,) if ref else ()
        try:
            return method(*args, params=params, options=options)
        except stripe.CardError as error:
            raise PaymentDeclined("card_declined", error.user_message or str(error)) from error
        except stripe.APIConnectionError as error:
            raise ProviderUnavailable(
                "unavailable", "the payment service is unreachable"
            ) from error
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
        return cls(LOCAL_SECRET_KEY, settings["webhook_secret"], settings["api_base"])


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
        return {"payment_method": slip.card_payment_method}
    if slip.method == "wechat_pay":
        return {
            "payment_method_types": ["wechat_pay"],
            "payment_method_data": {"type": "wechat_pay"},
            "payment_method_options": {"wechat_pay": {"client": "web"}},
        }
    if slip.method == "alipay":
        return {
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
    elif kind == "redirect_to_url":
        view.update(next_action="three_d_secure", redirect_url=action["redirect_to_url"]["url"])
    elif kind == "use_stripe_sdk":
        view.update(next_action="three_d_secure")
    return PaymentIntentView(
        reference=intent["id"],
        status=intent["status"],
        amount=from_fen(intent["amount"]),
        currency=intent["currency"].upper(),
        client_secret=intent.get("client_secret"),
        **view,
    )


def event_from_dict(event: dict) -> PaymentEvent:
    """Map a Stripe event (payment_intent.* or charge.*) to the port's event."""
    obj = event["data"]["object"]
    created = datetime.fromtimestamp(event["created"], UTC)
    charge = obj if obj.get("object") == "charge" else obj.get("latest_charge")
    charge = charge if isinstance(charge, dict) else {"id": charge}
    reference = obj["id"] if obj.get("object") == "payment_intent" else obj.get("payment_intent")
    billing = charge.get("billing_details") or {}
    details = charge.get("payment_method_details") or {}
    method_details = details.get(details.get("type") or "", {}) or {}
    return PaymentEvent(
        event_id=event["id"],
        type=event["type"],
        created=created,
        reference=reference,
        status=obj.get("status"),
        amount=from_fen(obj.get("amount")),
        currency=(obj.get("currency") or "").upper() or None,
        serial_number=charge.get("id"),
        processed_at=created,
        exchange_rate=_exchange_rate(obj),
        payer=PayerDetails(
            name=billing.get("name"),
            account=method_details.get("buyer_id")
            or method_details.get("last4")
            or method_details.get("fingerprint"),
            account_type=details.get("type"),
            bank_name=method_details.get("brand") or method_details.get("issuer"),
        ),
        refunded_amount=from_fen(obj.get("amount_refunded")),
    )


def _exchange_rate(obj: dict) -> Decimal | None:
    rate = (obj.get("metadata") or {}).get("exchange_rate")
    return Decimal(rate) if rate else None
