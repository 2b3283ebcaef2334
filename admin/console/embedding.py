"""Embedding (owner only, SPEC §10): the snippet to copy and the origins allowed to embed."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from admin.console import bp
from admin.console.messages import console_message
from admin.forms import ConfirmForm
from storefront.domain.embedding import MAX_ORIGIN_LENGTH, MAX_ORIGINS
from storefront.domain.errors import Refused
from storefront.queries.embedding import origin_or_404, origin_rows
from storefront.services.embedding import allow_origin, remove_origin


class EmbedOriginForm(FlaskForm):
    origin = StringField(
        _l("Origin of your site (https://shop.example.com)"),
        validators=[DataRequired(), Length(max=MAX_ORIGIN_LENGTH)],  # the service checks it
    )


@bp.before_request
def _owners_only():
    if (request.endpoint or "").startswith("console.embedding") and not current_user.is_owner:
        abort(403)


@bp.route("/embedding", methods=["GET", "POST"])
def embedding():
    form = EmbedOriginForm()
    if form.validate_on_submit():
        try:
            row = allow_origin(form.origin.data, f"{current_user.name} <{current_user.email}>")
        except Refused as refused:
            form.origin.errors.append(console_message(refused))
        else:
            flash(_("%(origin)s may now embed your store.", origin=row.origin), "success")
            return redirect(url_for("console.embedding"))
    return render_template(
        "admin/embedding.html",
        form=form,
        origins=origin_rows(),
        snippet=embed_snippet(g.tenant.slug),
        max_origins=MAX_ORIGINS,
    )


@bp.route("/embedding/<int:origin_id>/remove", methods=["GET", "POST"])
def embedding_remove(origin_id: int):
    target, form = origin_or_404(origin_id), ConfirmForm()
    if form.validate_on_submit():
        flash(
            _("%(origin)s may no longer embed your store.", origin=remove_origin(target.id)),
            "success",
        )
        return redirect(url_for("console.embedding"))
    return render_template("admin/embedding_remove.html", form=form, origin=target)


def embed_snippet(slug: str) -> str:
    """The one-line tag a merchant pastes into its page, with this site's public address."""
    source = url_for("site.embed_script", _external=True)
    return f'<script src="{source}" data-store="{slug}" async></script>'
