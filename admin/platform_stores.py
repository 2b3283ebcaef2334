"""The operator's page of one store (its state and figures, its items in review, suspend and
reinstate with the history), the platform's outgoing mail, and the operator's password reset
pages."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from admin.platform import bp
from admin.platform_dashboard import STATE_LABELS, overview_filters, range_args
from admin.review_views import QUEUE_VIEWS
from storefront.queries.mail import recent_mail
from storefront.queries.platform_figures import store_figures
from storefront.queries.store_reviews import items_in_review
from storefront.queries.tenant_status import status_history, store_or_404
from storefront.services import mail, reviews, suspension
from storefront.shop.password_pages import forgot_password_page, reset_password_page


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=500)])


@bp.route("/stores/<int:tenant_id>")
def store_status(tenant_id: int):
    store, filters = store_or_404(tenant_id), overview_filters()
    prepares = {kind: view.prepare for kind, view in QUEUE_VIEWS.items()}
    return render_template(
        "platform/store_status.html",
        store=store,
        history=status_history(tenant_id),
        figures=store_figures(store.id, filters.date_from, filters.date_to),
        filters=filters,
        range_args=range_args(filters),
        state_labels=STATE_LABELS,
        in_review=items_in_review(store.id, prepares),
        views=QUEUE_VIEWS,
        kinds=reviews.kinds(),
    )


@bp.route("/stores/<int:tenant_id>/suspend", methods=["GET", "POST"])
def suspend_store(tenant_id: int):
    return _confirm_change(tenant_id, suspension.suspend, suspending=True)


@bp.route("/stores/<int:tenant_id>/reinstate", methods=["GET", "POST"])
def reinstate_store(tenant_id: int):
    return _confirm_change(tenant_id, suspension.reinstate, suspending=False)


def _confirm_change(tenant_id: int, change, suspending: bool):
    """Show what will happen and ask why; act only on the confirmed form."""
    store, form = store_or_404(tenant_id), ReasonForm()
    if form.validate_on_submit():
        if change(store.id, form.reason.data, current_user):
            flash(_("Store suspended.") if suspending else _("Store reopened."), "success")
        else:
            flash(_("Nothing changed: the store already was in this state."), "info")
        return redirect(url_for("platform.store_status", tenant_id=store.id))
    return render_template(
        "platform/store_confirm.html", store=store, form=form, suspending=suspending
    )


@bp.route("/mail")
def outgoing_mail():
    return render_template("platform/mail.html", messages=recent_mail())


@bp.route("/mail/<int:mail_id>/retry", methods=["POST"])
def retry_mail(mail_id: int):
    mail.retry(mail_id)
    flash(_("The message will be sent again."), "success")
    return redirect(url_for("platform.outgoing_mail"))


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    return forgot_password_page("operator", None, "platform.login", "admin/public_form.html")


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    return reset_password_page(token, "platform.login", "admin/public_form.html")
