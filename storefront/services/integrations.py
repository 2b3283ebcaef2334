"""A merchant chooses the plugin serving a port and edits its settings (audited)."""

import json
from collections.abc import Mapping

from sqlalchemy import select

from storefront.domain.errors import ErrorCode, Refused
from storefront.extensions import db
from storefront.integrations import UnknownPlugin, plugin_class, plugins_for
from storefront.models import PluginSetting, PluginSettingChange
from storefront.models.types import utcnow
from storefront.ports import N_, Port


class SettingsRefused(Refused):
    """The settings do not validate; `errors` maps field names to messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(ErrorCode.INVALID_SETTINGS)
        self.errors = errors


class _FormData(dict):
    """The submitted values in the shape WTForms reads (`getlist`)."""

    def getlist(self, key: str) -> list[str]:
        return [self[key]] if key in self else []


def save_plugin_settings(
    port: Port, plugin_id: str, submitted: Mapping[str, str], who: str
) -> bool:
    """Validate and store the tenant's plugin for `port`; audit the names of changed fields.

    A blank secret keeps the stored one (secrets are never shown back). Return False when
    nothing changed.
    """
    try:
        plugin = plugin_class(port, plugin_id)
    except UnknownPlugin as unknown:
        raise SettingsRefused({"plugin": [N_("Choose one of the plugins offered.")]}) from unknown
    row = db.session.scalar(select(PluginSetting).where(PluginSetting.port == port))
    stored = json.loads(row.settings) if row and row.plugin_id == plugin_id else {}
    changed = _store(row, port, plugin_id, _validated(plugin, submitted, stored), who)
    if changed:
        db.session.commit()
    return changed


# The demo keeps the platform's own payment account and customs transport (CUSTOMS_TRANSPORT:
# the sandbox customs, or the e-port client's folder).
PLATFORM_PORTS = (Port.PAYMENT, Port.CUSTOMS_TRANSPORT)


def use_sandboxes(who: str) -> None:
    """Give every other port its sandbox with default settings (the demo); no commit."""
    for port in Port:
        twins = [p for p in plugins_for(port).values() if p.SANDBOX == p.PLUGIN_ID]
        if port not in PLATFORM_PORTS and twins:
            _store(None, port, twins[0].PLUGIN_ID, _validated(twins[0], {}, {}), who)
    db.session.flush()


def _store(row: PluginSetting | None, port: Port, plugin_id: str, settings: dict, who: str) -> bool:
    """Write the choice and its audit entry unless nothing changed; return whether it did."""
    previous = row.plugin_id if row else None
    stored = json.loads(row.settings) if row and previous == plugin_id else {}
    changed = sorted(k for k in settings.keys() | stored.keys() if settings.get(k) != stored.get(k))
    if previous == plugin_id and not changed:
        return False
    if row is None:
        row = PluginSetting(port=port, version=0)
        db.session.add(row)
    row.plugin_id, row.settings, row.updated_at = plugin_id, json.dumps(settings), utcnow()
    row.version += 1  # a new version: the registry builds a new adapter
    db.session.add(
        PluginSettingChange(
            port=port,
            plugin_id=plugin_id,
            previous_plugin_id=previous,
            fields=changed,
            changed_by=who,
        )
    )
    return True


def _validated(plugin: type, submitted: Mapping[str, str], stored: dict) -> dict[str, str]:
    """Validate with the plugin's own form; return every setting as text."""
    values = {}
    for name in plugin.SettingsForm().data:
        value = (submitted.get(name) or "").strip()
        if not value and name in plugin.SECRET_FIELDS:
            value = stored.get(name, "")
        values[name] = value
    form = plugin.SettingsForm(formdata=_FormData(values))
    if not form.validate():
        raise SettingsRefused(form.errors)
    return {name: "" if value is None else str(value) for name, value in form.data.items()}
