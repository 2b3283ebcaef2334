"""Shopper-facing wording for the domain's codes (limits, mixing, checkout refusals)."""

from flask_babel import gettext as _


def violation_message(violation) -> str:
    """Name the rule, the limit and the amount that broke it (SPEC §3)."""
    values = {"limit": f"{violation.limit:.2f}", "amount": f"{violation.amount:.2f}"}
    code = str(violation.code)
    if code == "order_limit":
        return _(
            "Order limit: goods and freight of one order may not exceed ¥%(limit)s; "
            "this order comes to ¥%(amount)s.",
            **values,
        )
    if code == "direct_mail_limit":
        return _(
            "Direct-mail limit: direct-mail goods and freight may not exceed ¥%(limit)s; "
            "with this order they come to ¥%(amount)s.",
            **values,
        )
    return _(
        "Annual limit: one person may buy at most ¥%(limit)s of cross-border goods a "
        "year; with this order the total would be ¥%(amount)s.",
        **values,
    )


def mix_message(problem) -> str:
    if str(problem.code) == "tax_and_non_tax":
        return _(
            "Cross-border (taxed) products and ordinary products cannot be bought in one "
            "order. Remove these lines or buy them separately:"
        )
    return _(
        "Products of different tax classes cannot be bought in one order. Remove these "
        "lines or buy them separately:"
    )


def refusal_message(code: str) -> str:
    messages = {
        "empty_cart": _("Your cart is empty."),
        "out_of_stock": _("Some products are no longer in stock in the quantity you chose."),
        "mixed_cart": _("Some products cannot be bought together; see the cart."),
        "identity_required": _("Cross-border orders need a buyer identity (real name and ID)."),
        "limit_exceeded": _("This order would break a purchase limit; see the cart."),
        "price_changed": _("Prices or tax changed since you looked. Please check the new total."),
        "token_reused": _("This checkout was already submitted."),
    }
    return messages.get(code, _("The order could not be placed."))


def payment_message(refused) -> str:
    messages = {
        "card_declined": _("The card was declined. Try another card or another way to pay."),
        "not_payable": _("This order can no longer be paid."),
        "already_paid": _(
            "This order has just been paid; it shows as paid as soon as the payment "
            "service confirms it."
        ),
        "unavailable": _("The payment service cannot be reached. Please try again shortly."),
        "unknown_method": _("Choose a way to pay."),
    }
    return messages.get(
        refused.code,
        _("The payment did not go through: %(reason)s", reason=refused.message or refused.code),
    )


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
    if note.kind == "registration":
        return _(
            "Someone tried to register a new account with your e-mail. If it was you, "
            "you already have an account: sign in with your password."
        )
    return _("Welcome to the store!")
