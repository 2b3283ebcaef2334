"""The shopper's mobile storefront, one store per /s/<store_slug>/, and the platform landing."""

from flask import Blueprint

from storefront.web import store_blueprint

bp = store_blueprint("shop", __name__, template_folder="templates")
site = Blueprint("site", __name__, template_folder="templates")


@bp.context_processor
def _shop_wording() -> dict:
    from storefront.shop.messages import mix_message, violation_message

    return {"mix_message": mix_message, "violation_message": violation_message}


from storefront.shop import account, auth, cart, catalog  # noqa: E402, F401 - routes register on import
