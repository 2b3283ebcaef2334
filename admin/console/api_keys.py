"""API keys (owner only, issue 14): a merchant's servers call the JSON API with them.

A key's secret is shown once, on the page that answers its creation (never stored, never
shown again: only its SHA-256 is kept, storefront/services/api_access.py); the list tells
keys apart by name and the secret's first characters.
"""

from flask import abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, StringField
from wtforms.validators import DataRequired, Length

from admin.console import bp
from admin.forms import ConfirmForm
from storefront.models.api import ApiKey
from storefront.queries import row_or_none
from storefront.queries.api import api_keys
from storefront.services.api_access import KeyScope, create_key, revoke_key

MAX_NAME_LENGTH = 80  # the column's length


class ApiKeyForm(FlaskForm):
    name = StringField(
        _l("Name (what the key is for)"), validators=[DataRequired(), Length(max=MAX_NAME_LENGTH)]
    )
    scope = RadioField(
        _l("Scope"),
        choices=[
            SelectChoice(KeyScope.READ.value, _l("Read: store, catalog and products")),
            SelectChoice(KeyScope.WRITE.value, _l("Write: reads, and carts")),
        ],
        default=KeyScope.READ.value,
        validators=[DataRequired()],
    )


@bp.route("/api-keys", methods=["GET", "POST"])
def api_keys_page():
    form = ApiKeyForm()
    if form.validate_on_submit():
        key, secret = create_key(form.name.data, KeyScope(form.scope.data), current_user.id)
        response = make_response(
            render_template("admin/api_key_created.html", key=key, secret=secret)
        )
        response.headers["Cache-Control"] = "no-store"  # the secret is on this page only
        return response
    return render_template("admin/api_keys.html", form=form, keys=api_keys())


@bp.route("/api-keys/<int:api_key_id>/revoke", methods=["GET", "POST"])
def api_key_revoke(api_key_id: int):
    key, form = row_or_none(ApiKey, api_key_id), ConfirmForm()
    if key is None:
        abort(404)
    if key.revoked_at is None and form.validate_on_submit():
        revoke_key(key.id)
        flash(_("The key %(name)s no longer works.", name=key.name), "success")
        return redirect(url_for("console.api_keys_page"))
    return render_template("admin/api_key_revoke.html", form=form, key=key)
