"""Integrations (owner only): the plugin serving each port and its settings."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectChoice

from admin.console import bp
from storefront.integrations import plugins_for
from storefront.ports import Port
from storefront.queries.integrations import (
    port_summaries,
    recent_changes,
    secret_masks,
    stored_settings,
)
from storefront.services.integrations import SettingsRefused, save_plugin_settings

PORT_NAMES = {
    Port.PAYMENT: _l("Payment"),
    Port.CUSTOMS_TRANSPORT: _l("Customs transport"),
    Port.CUSTOMS_SIGNER: _l("Customs signature"),
    Port.WAREHOUSE: _l("Bonded warehouse"),
    Port.INVOICE: _l("E-invoices"),
    Port.MAIL: _l("Mail"),
}
PREFIX = "settings-"


@bp.route("/integrations")
def integrations():
    return render_template(
        "admin/integrations.html",
        ports=port_summaries(),
        changes=recent_changes(),
        port_names=PORT_NAMES,
    )


@bp.route("/integrations/<port>", methods=["GET", "POST"])
def integration(port: str):
    port, plugin_id, plugin, stored = _chosen_plugin(port)
    errors = {}
    if request.method == "POST":
        submitted = {k.removeprefix(PREFIX): v for k, v in request.form.items()}
        try:
            changed = save_plugin_settings(port, plugin_id, submitted, _who())
        except SettingsRefused as refused:
            errors = refused.errors
        else:
            flash(_("Settings saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for("console.integrations"))
    return render_template(
        "admin/integration.html",
        port_name=PORT_NAMES[port],
        plugin_id=plugin_id,
        available=plugins_for(port),
        form=_settings_form(plugin, stored, errors),
        masks=secret_masks(plugin, stored),
    )


def _chosen_plugin(name: str) -> tuple[Port, str, type, dict]:
    """Return the port, the plugin shown (?plugin= or the stored one) and its stored settings."""
    try:
        port = Port(name)
    except ValueError:
        abort(404)
    available = plugins_for(port)
    current, stored = stored_settings(port)
    plugin_id = request.values.get("plugin") or current or next(iter(available))
    if plugin_id not in available:
        abort(404)
    return port, plugin_id, available[plugin_id], stored if plugin_id == current else {}


def _who() -> str:
    return f"{current_user.name} <{current_user.email}>"


def _settings_form(plugin: type, stored: dict, errors: dict):
    """The plugin's own form, translated, with secrets blank and the submitted errors."""
    visible = {k: v for k, v in stored.items() if k not in plugin.SECRET_FIELDS}
    form = plugin.SettingsForm(request.form or None, prefix=PREFIX, data=visible)
    for field in form:
        field.label.text = _(field.label.text)
        if field.short_name in plugin.SECRET_FIELDS:
            field.data = ""  # a secret is never sent back to the browser
        if getattr(field, "choices", None):
            field.choices = [SelectChoice(c.value, _(c.label)) for c in field.choices]
        field.errors = [_(message) for message in errors.get(field.short_name, [])]
    form.form_errors = [_(message) for message in errors.get("plugin", [])]
    return form
