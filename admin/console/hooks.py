"""The merchant's webhook endpoints, the delivery log and events waiting to be retried."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from admin.console import bp
from admin.console.messages import console_message, delivery_error
from admin.forms import ConfirmForm, WebhookEndpointForm
from storefront.domain.errors import Refused
from storefront.input_hardening import page_number
from storefront.queries.hooks import deliveries, endpoint, endpoints
from storefront.queries.outbox import stuck_events
from storefront.services.order_events import add_endpoint, delete_endpoint
from storefront.services.outbox import retry_now


@bp.route("/webhooks", methods=["GET", "POST"])
def webhooks():
    form = WebhookEndpointForm()
    if form.validate_on_submit():
        try:
            add_endpoint(form.url.data.strip())
        except Refused as refused:
            form.url.errors.append(console_message(refused))
        else:
            flash(
                _("Endpoint added. Verify the Kuajing-Signature header with its secret."), "success"
            )
            return redirect(url_for("console.webhooks"))
    page = request.args.get("page", 1, type=page_number)
    return render_template(
        "admin/webhooks.html",
        form=form,
        endpoints=endpoints(),
        deliveries=deliveries(page, current_app.config["PAGE_SIZE"]),
        delivery_error=delivery_error,
        stuck=stuck_events(),
    )


@bp.route("/events/<int:event_id>/retry", methods=["POST"])
def retry_event(event_id: int):
    if ConfirmForm().validate_on_submit():
        retry_now(event_id)
        flash(_("The event is sent to its subscribers again."), "success")
    return redirect(url_for("console.webhooks"))


@bp.route("/webhooks/<int:endpoint_id>/delete", methods=["GET", "POST"])
def delete_webhook(endpoint_id: int):
    target, form = endpoint(endpoint_id), ConfirmForm()
    if form.validate_on_submit():
        delete_endpoint(target.id)
        flash(_("Endpoint deleted."), "success")
        return redirect(url_for("console.webhooks"))
    return render_template("admin/confirm_delete_webhook.html", form=form, endpoint=target)
