"""The shopper's account: addresses, buyer identities and password."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from storefront.services import shoppers
from storefront.services.accounts import LoginRefused, change_password
from storefront.shop import bp
from storefront.shop.forms import AddressForm, IdentityForm, PasswordChangeForm
from storefront.shop.sign_in import start_session


@bp.route("/account")
@login_required
def account():
    return render_template("shop/account.html")


@bp.route("/account/addresses/new", methods=["GET", "POST"])
@login_required
def new_address():
    form = AddressForm()
    if form.validate_on_submit():
        shoppers.add_address(current_user, form.data)
        flash(_("Address saved."), "success")
        return redirect(url_for("shop.account"))
    return render_template("shop/form_page.html", form=form, title=_("New address"))


@bp.route("/account/addresses/<int:address_id>/delete", methods=["POST"])
@login_required
def delete_address(address_id: int):
    shoppers.delete_address(current_user, address_id)
    flash(_("Address removed."), "success")
    return redirect(url_for("shop.account"))


@bp.route("/account/identities/new", methods=["GET", "POST"])
@login_required
def new_identity():
    form = IdentityForm()
    if form.validate_on_submit():
        try:
            shoppers.add_identity(current_user, form.data)
        except shoppers.DuplicateIdentity:
            form.id_number.errors.append(_("This ID number is already saved."))
        else:
            flash(_("Buyer identity saved."), "success")
            return redirect(url_for("shop.account"))
    return render_template("shop/form_page.html", form=form, title=_("New buyer identity"))


@bp.route("/account/identities/<int:identity_id>/delete", methods=["POST"])
@login_required
def delete_identity(identity_id: int):
    shoppers.delete_identity(current_user, identity_id)
    flash(_("Buyer identity removed."), "success")
    return redirect(url_for("shop.account"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        shopper = current_user._get_current_object()
        try:
            change_password(shopper, form.current.data, form.password.data)
        except LoginRefused:
            form.current.errors.append(_("The current password is wrong."))
        else:
            start_session(shopper)  # this browser goes on under the new session version
            flash(_("Password changed. Every other device has been signed out."), "success")
            return redirect(url_for("shop.account"))
    return render_template("shop/form_page.html", form=form, title=_("Change password"))
