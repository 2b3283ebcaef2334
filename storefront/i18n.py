"""Language selection: an explicit choice, then Accept-Language, then the store's default."""

from functools import lru_cache
from urllib.parse import urlencode

from flask import Flask, current_app, g, request, session
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from storefront.domain.money import format_money, round_money, truncate_money
from storefront.domain.shipping import CARRIERS
from storefront.extensions import babel
from storefront.order_log import actor_text, reason_text

LANGUAGE_NAMES = {"zh_CN": "中文", "en": "English"}
ORDER_STATUS_LABELS = {
    "pending_payment": _l("Awaiting payment"),
    "paid": _l("Awaiting shipment"),
    "shipped": _l("Shipped"),
    "received": _l("Received"),
    "completed": _l("Completed"),
    "cancelled": _l("Cancelled"),
    "refunded": _l("Refunded"),
    "returned": _l("Returned"),
}
PAYMENT_METHOD_LABELS = {
    "card": _l("Bank card"),
    "wechat_pay": _l("WeChat Pay"),
    "alipay": _l("Alipay"),
}
PAYMENT_STATUS_LABELS = {
    "created": _l("Created"),
    "requires_action": _l("Waiting for the payer"),
    "submitted": _l("Submitted"),
    "succeeded": _l("Succeeded"),
    "failed": _l("Failed"),
    "cancelled": _l("Cancelled"),
    "canceled": _l("Cancelled"),
    "refunded": _l("Refunded"),
}
DELIVERY_STATUS_LABELS = {
    "pending": _l("Waiting to be sent"),
    "delivered": _l("Delivered"),
    "failed": _l("Failed"),
}
EVENT_NAME_LABELS = {
    "order.placed": _l("Order placed"),
    "order.paid": _l("Order paid"),
    "order.shipped": _l("Order shipped"),
    "order.received": _l("Order received"),
    "order.completed": _l("Order completed"),
    "order.cancelled": _l("Order cancelled"),
    "order.refunded": _l("Order refunded"),
    "order.returned": _l("Order returned"),
    "refund.made": _l("Refund made"),
}
# storefront.domain.customs.states.State
CUSTOMS_STATE_LABELS = {
    "awaiting_waybill": _l("Awaiting the waybill"),
    "documents_sent": _l("Three documents declared"),
    "documents_accepted": _l("Three documents accepted"),
    "inventory_sent": _l("Inventory list declared"),
    "cleared": _l("Cleared by customs"),
    "released": _l("Released by customs"),
    "rejected": _l("Returned by customs"),
}
# storefront.domain.customs.states.DocumentStatus
DOCUMENT_STATUS_LABELS = {
    "sending": _l("Waiting to be sent"),
    "sent": _l("Declared"),
    "accepted": _l("Accepted by customs"),
    "cleared": _l("Cleared by customs"),
    "released": _l("Released by customs"),
    "rejected": _l("Returned by customs"),
}
# storefront.domain.customs.receipts.DocumentKind: the message numbers
DOCUMENT_KIND_LABELS = {
    "311": _l("Order message"),
    "411": _l("Payment slip"),
    "511": _l("Waybill"),
    "621": _l("Inventory list"),
}
LABELS = {
    "event_name": EVENT_NAME_LABELS,
    "payment_method": PAYMENT_METHOD_LABELS,
    "payment_status": PAYMENT_STATUS_LABELS,
    "delivery_status": DELIVERY_STATUS_LABELS,
    "customs_state": CUSTOMS_STATE_LABELS,
    "document_status": DOCUMENT_STATUS_LABELS,
    "document_kind": DOCUMENT_KIND_LABELS,
}
TAX_TAG_LABELS = {
    "cross_border_retail": _l("Cross-border retail"),
    "domestic_dropship": _l("Domestic drop-ship"),
    "overseas_consolidation": _l("Overseas consolidation"),
    "direct_mail": _l("Overseas direct mail"),
}


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.before_request(remember_language_choice)
    app.jinja_env.globals.update(
        language_names=LANGUAGE_NAMES,
        tax_tag_label=tax_tag_label,
        money=money,
        tax_step=tax_step,
        status_label=status_label,
        carrier_name=lambda code: CARRIERS.get(code or "", code or ""),
        current_language=current_language,
        language_url=language_url,
        reason_text=reason_text,
        label=label,
        actor_text=actor_text,
    )


def language_url(code: str) -> str:
    """Return this page's address in language `code`, keeping its other query arguments
    (the 3-D Secure page needs its client secret, a filtered list its filters)."""
    args = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    return f"{request.path}?{urlencode([*args, ('lang', code)])}"


def status_label(status: str) -> str:
    """Return the people-facing name of an order status (待发货 ...)."""
    return str(ORDER_STATUS_LABELS.get(status, status))


def label(kind: str, code: str | None) -> str:
    """Return the people-facing name of a code of `kind` (payment_method, delivery_status ...),
    the code itself when it has none yet."""
    text = LABELS[kind].get(code or "")
    return str(text) if text is not None else (code or "")


def tax_step(amount) -> str:
    """Format an unrounded tax step as the seed shows it: cut at the fen."""
    return format_money(truncate_money(amount))


def money(amount) -> str:
    """Format a Decimal amount of yuan with two decimals, rounded half-up."""
    return format_money(round_money(amount))


def tax_tag_label(tag: str | None) -> str:
    """Return the shopper-facing name of a tax tag (跨境零售, 海外直邮 ...)."""
    return _tax_tag_label(tag, str(get_locale()))


@lru_cache(maxsize=64)
def _tax_tag_label(tag: str | None, locale: str) -> str:
    # one translation per tag and language per process (the catalogs are compiled before it
    # starts): a store home shows a badge per product, each a trip through Flask-Babel
    return str(TAX_TAG_LABELS.get(tag, tag or ""))


def remember_language_choice() -> None:
    """Keep `?lang=xx` (the switch in every page) for the rest of the session."""
    chosen = request.args.get("lang")
    if chosen in current_app.config["LANGUAGES"]:
        session["lang"] = chosen


def current_language() -> str:
    """Return the configured code (zh_CN, en) of the language in use."""
    language = get_locale().language
    return next(
        (code for code in current_app.config["LANGUAGES"] if code.split("_")[0] == language),
        current_app.config["LANGUAGES"][0],
    )


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    tenant = g.get("tenant")
    store_default = tenant.default_locale if tenant is not None else languages[0]
    accepted = request.accept_languages.best_match([lang.replace("_", "-") for lang in languages])
    if accepted and request.accept_languages.quality(accepted) > 0:
        return accepted.replace("-", "_")
    return store_default
