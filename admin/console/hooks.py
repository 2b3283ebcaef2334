"""The merchant's webhook endpoints and the delivery log."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from admin.console import bp
from admin.forms import WebhookEndpointForm
from storefront.queries.hooks import deliveries, endpoints
from storefront.services.order_events import add_endpoint


@bp.route("/webhooks", methods=["GET", "POST"])
def webhooks():
    form = WebhookEndpointForm()
    if form.validate_on_submit():
        add_endpoint(form.url.data.strip())
        flash(_("Endpoint added. Verify the Kuajing-Signature header with its secret."), "success")
        return redirect(url_for("console.webhooks"))
    page = request.args.get("page", 1, type=int)
    return render_template(
        "admin/webhooks.html",
        form=form,
        endpoints=endpoints(),
        deliveries=deliveries(page, current_app.config["PAGE_SIZE"]),
    )
