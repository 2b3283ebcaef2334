"""Staff sign-in and sign-out."""

from flask_babel import gettext as _

from admin.console import bp
from storefront.services.accounts import authenticate_staff
from storefront.shop.sign_in import sign_in_page, sign_out_page


@bp.route("/login", methods=["GET", "POST"])
def login():
    return sign_in_page(
        authenticate_staff, "console.dashboard", "admin/login.html", title=_("Merchant console")
    )


@bp.route("/logout", methods=["POST"])
def logout():
    return sign_out_page("console.login")
