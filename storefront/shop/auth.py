"""Shopper sign-in, registration and sign-out."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from storefront.services.accounts import authenticate_shopper
from storefront.services.shoppers import register_shopper
from storefront.shop import bp
from storefront.shop.forms import RegisterForm
from storefront.shop.sign_in import sign_in_page, sign_out_page


@bp.route("/login", methods=["GET", "POST"])
def login():
    return sign_in_page(authenticate_shopper, "shop.home", "shop/login.html")


@bp.route("/register", methods=["GET", "POST"])
def register():
    """Register; the answer is the same whether or not the e-mail already has an account."""
    form = RegisterForm()
    if form.validate_on_submit():
        register_shopper(form.name.data, form.email.data, form.password.data)
        flash(_("Thank you. Sign in with your e-mail and password to continue."), "success")
        return redirect(url_for("shop.login"))
    return render_template("shop/register.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    return sign_out_page("shop.home")
