"""Staff sign-in and the dashboard."""

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from admin.console import bp
from storefront.queries.dashboard import tenant_counts
from storefront.services.accounts import LoginRefused, authenticate_staff
from storefront.shop.forms import LoginForm
from storefront.web import login_refusal_message, safe_next_url


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = authenticate_staff(form.email.data, form.password.data, request.remote_addr)
        except LoginRefused as refused:
            form.form_errors.append(login_refusal_message(refused))
        else:
            login_user(user)
            return redirect(safe_next_url(url_for("console.dashboard")))
    return render_template("admin/login.html", form=form, title=_("Merchant console"))


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    return redirect(url_for("console.login"))


@bp.route("/")
def dashboard():
    return render_template("admin/dashboard.html", counts=tenant_counts())
