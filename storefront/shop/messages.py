"""Shopper-facing wording for the domain's codes (checkout refusals; the limit and mixing
wording lives with the cart quote, storefront.cart_quote, shared with the API)."""

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from storefront.domain.errors import ErrorCode, Refused
from storefront.services.invoice_requests import InvoiceRefusal


def shop_messages() -> dict[str, str]:
    """The shopper's wording for every refusal a shop page shows (a provider's own text, in
    English, is logged, never shown: issue 8 #5)."""
    not_reviewable = _("This product cannot be reviewed (again) for this order.")
    wrong_state = _("This action does not fit the order's current state.")
    return {
        ErrorCode.EMPTY_CART: _("Your cart is empty."),
        ErrorCode.OUT_OF_STOCK: _(
            "Some products are no longer in stock in the quantity you chose."
        ),
        ErrorCode.MIXED_CART: _("Some products cannot be bought together; see the cart."),
        ErrorCode.IDENTITY_REQUIRED: _(
            "Cross-border orders need a buyer identity (real name and ID)."
        ),
        ErrorCode.LIMIT_EXCEEDED: _("This order would break a purchase limit; see the cart."),
        ErrorCode.PRICE_CHANGED: _(
            "Prices or tax changed since you looked. Please check the new total."
        ),
        ErrorCode.TOKEN_REUSED: _("This checkout was already submitted."),
        ErrorCode.NOT_FILED: _(
            "Some products have no completed customs filing and cannot be sold cross-border "
            "yet; see the cart."
        ),
        ErrorCode.CARD_DECLINED: _(
            "The card was declined. Try another card or another way to pay."
        ),
        ErrorCode.NOT_PAYABLE: _("This order can no longer be paid."),
        ErrorCode.ALREADY_PAID: _(
            "This order has just been paid; it shows as paid as soon as the payment "
            "service confirms it."
        ),
        ErrorCode.UNAVAILABLE: _(
            "The payment service cannot be reached. Please try again shortly."
        ),
        ErrorCode.UNKNOWN_METHOD: _("Choose a way to pay."),
        ErrorCode.PROVIDER_ERROR: _(
            "The payment service did not accept this payment. Please try again or choose "
            "another way to pay."
        ),
        ErrorCode.NOT_RECEIVED: not_reviewable,
        ErrorCode.INVALID_REVIEW: not_reviewable,
        ErrorCode.ALREADY_REVIEWED: not_reviewable,
        ErrorCode.ILLEGAL_TRANSITION: wrong_state,
        ErrorCode.NOT_ALLOWED_FOR_ACTOR: wrong_state,
        ErrorCode.STORE_SUSPENDED: _("This store is closed for now and takes no orders."),
        ErrorCode.STORE_NOT_OPEN: _("This store is opening soon. It takes no orders yet."),
        # one message for both: it never says whether the account exists
        ErrorCode.WRONG_CREDENTIALS: _("Wrong e-mail or password."),
        ErrorCode.THROTTLED: _(
            "Too many failed attempts. Please wait a few minutes and try again."
        ),
        **invoice_messages(),
    }


def invoice_messages() -> dict[str, str]:
    """The shopper's wording of every invoice refusal (SPEC §7, seed 003 §四–§五)."""
    return {
        InvoiceRefusal.NOT_OFFERED: _("The store does not issue invoices for these goods."),
        InvoiceRefusal.ALREADY_REQUESTED: _("An invoice was already requested for this order."),
        InvoiceRefusal.NOT_REQUESTED: _("Request an invoice for this order first."),
        InvoiceRefusal.BAD_TITLE: _(
            "Enter the name on the invoice; an enterprise title also needs its tax ID "
            "(the 18-character unified social credit code)."
        ),
        InvoiceRefusal.IN_PROGRESS: _(
            "An invoice of this order is being issued. Try again once it is issued."
        ),
        InvoiceRefusal.PAPER_FINAL: _(
            "This order already has a paper invoice; a paper invoice cannot go back to electronic."
        ),
        InvoiceRefusal.PAPER_PENDING: _(
            "A paper invoice was already requested for this order; the store is reviewing it."
        ),
        InvoiceRefusal.PAPER_DECLINED: _(
            "The store declined the paper invoice for this order; it can be asked once only."
        ),
    }


# What the provider's failure codes mean for a shopper (plugins/sandbox/invoice.py
# PROVIDER_FAILURES; the provider's own text is for the merchant, never shown here).
INVOICE_FAILURES = {
    "credit_exhausted": _l("the store's invoicing credit line is used up"),
    "login_expired": _l("the store's invoicing login has expired"),
    "red_form_refused": _l("the buyer refused the red-letter confirmation form"),
    # seed 000 step 2(2): held back until the platform approves the store's invoice issuer
    "issuer_not_approved": _l("the store cannot issue invoices yet"),
    "product_not_invoiceable": _l("the store cannot issue invoices yet"),
}


def invoice_failure_text(code: str | None) -> str:
    """Say why an invoice could not be issued, in the shopper's words."""
    reason = INVOICE_FAILURES.get(code or "")
    return str(reason) if reason else _("the invoicing service refused it; the store is on it")


def refusal_message(refused: Refused) -> str:
    """Say why the shop refused, in the shopper's language."""
    if refused.message:
        current_app.logger.info("refused (%s): %s", refused.code, refused.message)
    return shop_messages().get(refused.code, _("This action does not fit the current state."))


def notification_text(note) -> str:
    params = note.params or {}
    if note.kind == "shipped":
        return _(
            "Order %(number)s has shipped with %(carrier)s, tracking number %(tracking)s.",
            number=params.get("number"),
            carrier=params.get("carrier"),
            tracking=params.get("tracking_number"),
        )
    if note.kind == "refund":
        return _(
            "A refund of ¥%(amount)s for order %(number)s is on its way.",
            amount=params.get("amount"),
            number=params.get("number"),
        )
    if note.kind == "invoice":
        return _(
            "Invoice issued: order %(number)s, invoice number %(invoice)s.",
            number=params.get("number"),
            invoice=params.get("invoice"),
        )
    if note.kind == "invoice_paper_declined":
        return _(
            "The store declined the paper invoice for order %(number)s: %(reason)s",
            number=params.get("number"),
            reason=params.get("reason"),
        )
    if note.kind == "registration":
        return _(
            "Someone tried to register a new account with your e-mail. If it was you, "
            "you already have an account: sign in with your password."
        )
    return _("Welcome to the store!")
