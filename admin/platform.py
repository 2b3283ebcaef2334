"""The platform operator's console: its blueprint, sign-in and the areas it registers (the
landing page is the one merchant list, admin.platform_dashboard)."""

from flask import Blueprint
from flask_babel import gettext as _

from admin.access import guard_platform
from storefront.services.accounts import authenticate_operator
from storefront.shop.sign_in import sign_in_page, sign_out_page

bp = Blueprint("platform", __name__, url_prefix="/platform", template_folder="templates")
guard_platform(bp)


@bp.route("/login", methods=["GET", "POST"])
def login():
    return sign_in_page(
        authenticate_operator, "platform.overview", "admin/login.html", title=_("Platform console")
    )


@bp.route("/logout", methods=["POST"])
def logout():
    return sign_out_page("platform.login")


from admin import (  # noqa: E402, F401 - routes register on import
    platform_applications,
    platform_area_reports,
    platform_dashboard,
    platform_filings,
    platform_invoice_issuers,
    platform_reconciliation,
    platform_reviews,
    platform_stores,
)
