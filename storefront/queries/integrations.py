"""What the Integrations page shows: each port's plugin, masked settings and the audit."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from storefront.domain.secrets import mask_secret
from storefront.extensions import db
from storefront.integrations import platform_choice, tenant_choice
from storefront.models import PluginSetting, PluginSettingChange
from storefront.ports import Port
from storefront.tenancy import require_tenant_id


@dataclass(frozen=True)
class PortSummary:
    """A port and who serves it for the tenant in context."""

    port: Port
    plugin_id: str | None
    platform_default: bool
    updated_at: datetime | None


def port_summaries() -> list[PortSummary]:
    """Return every port with the tenant's plugin, or the platform default, or none."""
    rows = {row.port: row for row in db.session.scalars(select(PluginSetting))}
    summaries, tenant_id = [], require_tenant_id()
    for port in Port:
        row, default = rows.get(port), platform_choice(port, tenant_id)
        summaries.append(
            PortSummary(
                port=port,
                plugin_id=row.plugin_id if row else (default.plugin_id if default else None),
                platform_default=row is None and default is not None,
                updated_at=row.updated_at if row else None,
            )
        )
    return summaries


def stored_settings(port: Port) -> tuple[str | None, dict]:
    """Return the tenant's plugin for `port` and its settings (secrets included: not for show)."""
    choice = tenant_choice(port, require_tenant_id())
    return (choice.plugin_id, choice.settings) if choice else (None, {})


def secret_masks(plugin: type, settings: dict) -> dict[str, str]:
    """Return the masked form of each stored secret of `plugin`, by field name."""
    return {
        name: mask_secret(settings[name]) for name in plugin.SECRET_FIELDS if settings.get(name)
    }


def recent_changes(limit: int = 50) -> list[PluginSettingChange]:
    """Return the latest settings changes of the tenant, newest first."""
    query = select(PluginSettingChange).order_by(PluginSettingChange.id.desc()).limit(limit)
    return list(db.session.scalars(query))
