"""The order log in the reader's language: reasons are stored as codes with parameters
(`storefront.domain.orders.Reason`) and the actor as a kind ("shopper:3", "system")."""

from collections import defaultdict

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from storefront.domain.orders import Reason
from storefront.domain.shipping import CARRIERS

REASON_TEXTS = {
    Reason.PLACED: _l("Order placed"),
    Reason.PAYMENT: _l("Payment received (serial number %(reference)s)"),
    Reason.SHIPPED: _l("Shipped with %(carrier)s, tracking number %(tracking_number)s"),
    Reason.EXCHANGE_SHIPPED: _l(
        "Replacement shipped with %(carrier)s, tracking number %(tracking_number)s"
    ),
    Reason.RECEIPT_CONFIRMED: _l("Receipt confirmed"),
    Reason.RECEIPT_AUTO: _l("Receipt confirmed automatically"),
    Reason.COMPLETION_CONFIRMED: _l("Completion confirmed"),
    Reason.RETURN_ACCEPTED: _l("Return accepted"),
    Reason.CANCELLED_BY_SHOPPER: _l("Cancelled by the shopper"),
    Reason.CANCELLED_BY_MERCHANT: _l("Cancelled by the merchant"),
    Reason.UNPAID_EXPIRED: _l("Cancelled: not paid in time"),
    Reason.REFUND: _l("Refund of ¥%(amount)s"),
    Reason.PARTIAL_REFUND: _l("Partial refund of ¥%(amount)s"),
    Reason.UNWANTED_PAYMENT_REFUNDED: _l(
        "A second payment (serial number %(reference)s) of ¥%(amount)s was refunded automatically"
    ),
}
ACTOR_TEXTS = {
    "shopper": _l("Shopper"),
    "system": _l("System"),
    "payment": _l("Payment service"),
    "provider": _l("Payment service"),
    "staff": _l("Staff"),
}


def reason_text(event) -> str:
    """Return why the order moved, in the reader's language (free text of old rows as is)."""
    template = REASON_TEXTS.get(event.reason)
    if template is None:
        return event.reason or ""
    params = defaultdict(str, event.reason_params or {})
    if params["carrier"]:
        params["carrier"] = CARRIERS.get(params["carrier"], params["carrier"])
    text = str(template) % params
    if params["note"]:
        return _("%(text)s: %(note)s", text=text, note=params["note"])
    return text


def actor_text(who: str) -> str:
    """Return who moved the order: a staff member by name, anyone else by their role."""
    kind, _colon, rest = (who or "").partition(":")
    if kind == "staff" and rest.partition(" ")[2]:
        return rest.partition(" ")[2]
    label = ACTOR_TEXTS.get(kind)
    return str(label) if label is not None else who
