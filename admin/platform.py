"""The platform operator's console: every tenant at a glance."""

from flask import Blueprint, render_template
from flask_babel import gettext as _

from admin.access import guard_platform
from storefront.queries.platform import tenant_overview
from storefront.services.accounts import authenticate_operator
from storefront.shop.sign_in import sign_in_page, sign_out_page

bp = Blueprint("platform", __name__, url_prefix="/platform", template_folder="templates")
guard_platform(bp)


@bp.route("/login", methods=["GET", "POST"])
def login():
    return sign_in_page(
        authenticate_operator, "platform.tenants", "admin/login.html", title=_("Platform console")
    )


@bp.route("/logout", methods=["POST"])
def logout():
    return sign_out_page("platform.login")


@bp.route("/")
def tenants():
    return render_template("platform/tenants.html", tenants=tenant_overview())


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
