"""Shopper sign-in, registration and sign-out."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from storefront.services.accounts import LoginRefused, authenticate_shopper
from storefront.services.shoppers import EmailTaken, register_shopper
from storefront.shop import bp
from storefront.shop.forms import LoginForm, RegisterForm
from storefront.web import login_refusal_message, safe_next_url


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            shopper = authenticate_shopper(form.email.data, form.password.data, request.remote_addr)
        except LoginRefused as refused:
            form.form_errors.append(login_refusal_message(refused))
        else:
            login_user(shopper)
            return redirect(safe_next_url(url_for("shop.home")))
    return render_template("shop/login.html", form=form)


@bp.route("/register", methods=["GET", "POST"])
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            shopper = register_shopper(form.name.data, form.email.data, form.password.data)
        except EmailTaken:
            form.email.errors.append(_("This e-mail already has an account here."))
        else:
            login_user(shopper)
            flash(_("Welcome! Your account is ready."), "success")
            return redirect(url_for("shop.account"))
    return render_template("shop/register.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    return redirect(url_for("shop.home"))
