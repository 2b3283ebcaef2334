"""Staff sign-in and the dashboard."""

from flask import render_template
from flask_babel import gettext as _

from admin.console import bp
from storefront.domain.customs.states import State
from storefront.queries.customs import counts_by_state
from storefront.queries.dashboard import tenant_counts
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


@bp.route("/")
def dashboard():
    by_state = counts_by_state()
    customs_counts = [(state, by_state[state]) for state in State if state in by_state]
    return render_template(
        "admin/dashboard.html", counts=tenant_counts(), customs_counts=customs_counts
    )
