"""Place the shopper's API cart as orders, and pay for them.

The same use cases as the shop's confirm and pay pages: `place_order` (through
services.api_orders, which only adds the API cart and the Idempotency-Key) and
`start_payment`. A refusal keeps its ErrorCode; the limit and mixing rules that broke are
named in `fields` by their codes (order_limit, direct_mail_limit, annual_limit;
tax_and_non_tax, different_tax_classes), each with the rule, the limit and the amount.
"""

from decimal import Decimal
from typing import Literal

from flask import current_app, g, url_for
from flask_babel import gettext as _
from pydantic import BaseModel, ConfigDict, Field

from storefront.api import bp
from storefront.api.auth import SHOPPER_ONLY, current_shopper
from storefront.api.errors import ApiCode, ApiError, api_error_for
from storefront.api.operation import operation
from storefront.api.order_schemas import OrderSummary, order_summary
from storefront.api.schemas import MoneyText, Request
from storefront.cart_quote import mix_message, violation_message
from storefront.domain.errors import ErrorCode
from storefront.domain.money import format_money
from storefront.input_hardening import MAX_INT
from storefront.models.types import utcnow
from storefront.queries import orders as order_queries
from storefront.services.api_orders import CartPlacement, place_cart
from storefront.services.checkout import CheckoutRefused
from storefront.services.errors import NotFound
from storefront.services.payments import browser_key, start_payment


class IdempotencyHeader(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    idempotency_key: str = Field(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        description="Required: one per placement; a retry with the same key returns the "
        "first answer and never places a second time",
    )


class Placement(Request):
    address_id: int = Field(ge=1, le=MAX_INT, description="One of the shopper's addresses")
    identity_id: int | None = Field(
        None, ge=1, le=MAX_INT, description="The buyer identity; required for taxed goods"
    )
    expected_total: MoneyText = Field(
        description="The cart quote's `total` the shopper confirmed; if prices or tax "
        "changed since, the placement is refused with `price_changed`"
    )


class Checkout(BaseModel):
    """What was placed at once: one order per supplier and tax class, paid together."""

    id: int = Field(description="Pay it with POST .../checkouts/{checkout_id}/payments")
    amount: MoneyText
    orders: list[OrderSummary]


class PaymentChoice(Request):
    method: Literal["card", "wechat_pay", "alipay"]


class NextAction(BaseModel):
    """What the client does next; the order is paid only when the provider's verified event
    arrives (poll the order, or wait for a `kuajing:order.paid` host event)."""

    type: Literal["confirm_card", "redirect", "wechat_qr", "none"] = Field(
        description="confirm_card: confirm `client_secret` with Stripe.js "
        "(stripe.confirmCardPayment) using `publishable_key`; redirect: send the shopper to "
        "`redirect_url` (Alipay); wechat_qr: show `qr_data` as a QR code (or the image at "
        "`qr_image_url`) to scan with WeChat; none: nothing, wait for the payment's event"
    )
    client_secret: str | None = None
    publishable_key: str | None = None
    stripe_js_url: str | None = None
    redirect_url: str | None = None
    qr_data: str | None = None
    qr_image_url: str | None = None


class PaymentStarted(BaseModel):
    payment_id: int
    checkout_id: int
    method: str
    amount: MoneyText
    currency: str
    next_action: NextAction


@bp.route("/stores/<store_slug>/checkouts", methods=["POST"])
@operation(
    access=SHOPPER_ONLY,
    body=Placement,
    headers=IdempotencyHeader,
    responses={201: Checkout},
    tags=("orders",),
    idempotent=True,
)
def place(json: Placement, headers: IdempotencyHeader):
    """Place the shopper's cart: one order per supplier and tax class (Idempotency-Key)."""
    choice = CartPlacement(
        address_id=json.address_id,
        identity_id=json.identity_id,
        expected_total=Decimal(json.expected_total),
        idempotency_key=headers.idempotency_key,
    )
    try:
        placed = place_cart(g.tenant, current_shopper(), choice, utcnow())
    except CheckoutRefused as refused:
        raise placement_error(refused) from None
    except NotFound as missing:
        field = "identity_id" if "Identity" in str(missing) else "address_id"
        raise _invalid(field, _("Not found.")) from None
    orders = [order_summary(order) for order in placed.orders]
    return Checkout(id=placed.id, amount=format_money(placed.amount), orders=orders), 201


@bp.route("/stores/<store_slug>/checkouts/<int:checkout_id>/payments", methods=["POST"])
@operation(
    access=SHOPPER_ONLY,
    body=PaymentChoice,
    responses={201: PaymentStarted},
    tags=("orders",),
    idempotent=True,
)
def pay(checkout_id: int, json: PaymentChoice):
    """Pay a checkout by card, WeChat Pay or Alipay; answer what the client does next."""
    placed = order_queries.shopper_checkout_or_404(current_shopper(), checkout_id)
    back = url_for("shop.order", order_id=placed.orders[0].id, paying=1, _external=True)
    payment, view = start_payment(placed, json.method, back)
    return PaymentStarted(
        payment_id=payment.id,
        checkout_id=placed.id,
        method=payment.method,
        amount=format_money(payment.amount),
        currency=payment.currency or "CNY",
        next_action=_next_action(view),
    ), 201


def _next_action(view) -> NextAction:
    kind = view.next_action if view.next_action in ("redirect", "wechat_qr") else None
    if view.next_action == "confirm_card" and view.client_secret:
        return NextAction(
            type="confirm_card",
            client_secret=view.client_secret,
            publishable_key=browser_key(),
            stripe_js_url=current_app.config["STRIPE_JS_URL"],
        )
    if kind == "redirect":
        return NextAction(type="redirect", redirect_url=view.redirect_url)
    if kind == "wechat_qr":
        return NextAction(type="wechat_qr", qr_data=view.qr_data, qr_image_url=view.qr_image_url)
    return NextAction(type="none")


def placement_error(refused: CheckoutRefused) -> ApiError:
    """The refusal in the one error shape, naming the rules that broke (SPEC §3)."""
    error = api_error_for(refused)
    snapshot = refused.snapshot
    if refused.code == ErrorCode.IDENTITY_REQUIRED:
        return _invalid("identity_id", error.message)
    if snapshot is None:
        return error
    fields: dict[str, str] = {}
    if refused.code == ErrorCode.LIMIT_EXCEEDED:
        for violation in snapshot.violations:
            fields.setdefault(str(violation.code), violation_message(violation))
    elif refused.code == ErrorCode.MIXED_CART:
        for problem in snapshot.problems:
            fields.setdefault(str(problem.code), mix_message(problem))
    elif refused.code == ErrorCode.PRICE_CHANGED:
        total = format_money(snapshot.total)
        fields["expected_total"] = _("The total is now ¥%(total)s.", total=total)
    # a limit refusal names the rule, the limit and the amount in its message too (SPEC §3)
    limits = refused.code == ErrorCode.LIMIT_EXCEEDED and fields
    message = next(iter(fields.values())) if limits else error.message
    return ApiError(error.status, error.code, message, fields=fields)


def _invalid(field: str, message: str) -> ApiError:
    return ApiError(422, ApiCode.INVALID_REQUEST, message, fields={field: message})
