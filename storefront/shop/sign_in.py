"""The sign-in and sign-out pages of every area (storefront, merchant and platform console).

Each area passes its own authenticate function and pages; the session handling, the
generic refusal message and the `next` check live here once.
"""

from collections.abc import Callable

from flask import redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from storefront.services.accounts import LoginRefused, sign_out
from storefront.shop.forms import LoginForm
from storefront.shop.messages import refusal_message
from storefront.web import safe_next_url

# Session keys that belong to the signed-in account or the form tokens; everything else
# (carts, language, promoter code) belongs to the visitor and survives a sign-in.
_ACCOUNT_KEY_PREFIXES = ("_", "csrf_token")


def sign_in_page(authenticate: Callable, home_endpoint: str, template: str, **context):
    """Show the sign-in form; on success start a fresh session and go to `next` or home."""
    form = LoginForm()
    if form.validate_on_submit():
        try:
            account = authenticate(form.email.data, form.password.data, request.remote_addr)
        except LoginRefused as refused:
            form.form_errors.append(refusal_message(refused))
        else:
            start_session(account)
            return redirect(safe_next_url(url_for(home_endpoint)))
    return render_template(template, form=form, **context)


def sign_out_page(login_endpoint: str):
    """End the account's sessions everywhere and this browser's session."""
    account = current_user._get_current_object()
    if account.is_authenticated:
        sign_out(account)
    logout_user()
    _drop_account_keys()
    return redirect(url_for(login_endpoint))


def start_session(account) -> None:
    """Sign in with a new session: nothing set before the sign-in carries its authority."""
    _drop_account_keys()
    login_user(account)


def _drop_account_keys() -> None:
    for key in [key for key in session if key.startswith(_ACCOUNT_KEY_PREFIXES)]:
        session.pop(key)
