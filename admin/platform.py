"""The platform operator's console: every tenant at a glance."""

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from admin.access import guard_platform
from storefront.queries.platform import tenant_overview
from storefront.services.accounts import LoginRefused, authenticate_operator
from storefront.shop.forms import LoginForm
from storefront.web import login_refusal_message, safe_next_url

bp = Blueprint("platform", __name__, url_prefix="/platform", template_folder="templates")
guard_platform(bp)


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            operator = authenticate_operator(
                form.email.data, form.password.data, request.remote_addr
            )
        except LoginRefused as refused:
            form.form_errors.append(login_refusal_message(refused))
        else:
            login_user(operator)
            return redirect(safe_next_url(url_for("platform.tenants")))
    return render_template("admin/login.html", form=form, title=_("Platform console"))


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    return redirect(url_for("platform.login"))


@bp.route("/")
def tenants():
    return render_template("platform/tenants.html", tenants=tenant_overview())
