"""The shopper's mobile storefront, one store per /s/<store_slug>/, and the platform landing."""

from flask import Blueprint

from storefront.web import store_blueprint

bp = store_blueprint("shop", __name__, template_folder="templates")
site = Blueprint("site", __name__, template_folder="templates")


@bp.context_processor
def _shop_wording() -> dict:
    from storefront.cart_quote import mix_message, violation_message

    return {
        "mix_message": mix_message,
        "violation_message": violation_message,
        "unread_notifications": _unread_notifications,
    }


def _unread_notifications() -> int:
    from flask_login import current_user

    from storefront.models import Shopper
    from storefront.services.notifications import unread_count

    user = current_user._get_current_object()
    if not isinstance(user, Shopper):
        return 0
    # read with the shopper at sign-in to this request; after a commit (one that marked them
    # read, say) the shopper is reloaded without it, and the count is read again
    known = user.unread_notifications
    return unread_count(user.id) if known is None else known


from storefront.shop import (  # noqa: E402, F401 - routes register on import
    account,
    auth,
    cart,
    catalog,
    checkout,
    embedding,
    invoices,
    orders,
    password,
    promoters,
)
