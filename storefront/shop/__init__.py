"""The shopper's mobile storefront, one store per /s/<store_slug>/, and the platform landing."""

from flask import Blueprint

from storefront.web import store_blueprint

bp = store_blueprint("shop", __name__, template_folder="templates")
site = Blueprint("site", __name__, template_folder="templates")

from storefront.shop import account, auth, catalog  # noqa: E402, F401 - routes register on import
