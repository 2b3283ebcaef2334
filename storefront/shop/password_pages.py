"""The "forgot password" and "new password" pages of every area (shop, console, platform).

Each area passes its kind of account and its pages; the same answer is shown whether or not
the address has an account.
"""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField
from wtforms.validators import DataRequired, Email, Length

from storefront.domain.errors import Refused
from storefront.services.password_reset import request_reset, reset_password
from storefront.shop.forms import new_password_field, repeat_password_field


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])


class NewPasswordForm(FlaskForm):
    password = new_password_field(_l("New password"))
    confirm = repeat_password_field()


def forgot_password_page(kind: str, tenant_id: int | None, login_endpoint: str, template: str):
    """Ask for a reset link; the answer never says whether the address has an account."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        request_reset(kind, form.email.data, tenant_id)
        flash(
            _(
                "If an account uses this address, we sent it a link to choose a new password. "
                "Check your e-mail."
            ),
            "success",
        )
        return redirect(url_for(login_endpoint))
    return render_template(template, form=form, title=_("Forgot your password?"))


def reset_password_page(token: str, login_endpoint: str, template: str):
    """Choose a new password from a link; every session of the account ends."""
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            reset_password(token, form.password.data)
        except Refused:
            form.form_errors.append(link_problem())
        else:
            flash(_("Your password was changed. Sign in with the new one."), "success")
            return redirect(url_for(login_endpoint))
    return render_template(template, form=form, title=_("Choose a new password"))


def link_problem() -> str:
    return _("This link has expired or was already used. Ask for a new one.")
