"""The plugin registry: each tenant's adapter per port, found through entry points.

Plugins (built-ins included) register under the `kuajing.plugins` entry-point group with
their PLUGIN_ID as the name. A tenant's choice and settings are rows of `plugin_settings`
(encrypted); a tenant that configured no payment plugin pays through the platform's own
Stripe account from the configuration (STRIPE_*). Adapters are built once per (tenant,
plugin, settings version) and kept in `app.extensions`.
"""

import json
from dataclasses import dataclass
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from storefront.extensions import db
from storefront.models import PluginSetting
from storefront.ports import PaymentProvider, Port
from storefront.tenancy import current_tenant_id, tenant_context

ENTRY_POINT_GROUP = "kuajing.plugins"
CACHE = "plugin_adapters"


SANDBOX_DEFAULTS = {
    Port.CUSTOMS_SIGNER: "sandbox_customs_signer",
    Port.WAREHOUSE: "sandbox_warehouse",
    Port.INVOICE: "sandbox_invoice",
}


class UnknownPlugin(LookupError):
    """No installed plugin has this id (or it serves another port)."""


class NotConfigured(RuntimeError):
    """Neither the tenant nor the platform configured a plugin for this port."""


@dataclass(frozen=True)
class Choice:
    """A plugin with its settings; `tenant_id` None is the platform's own account."""

    tenant_id: int | None
    plugin_id: str
    settings: dict
    version: int


@cache
def installed_plugins() -> dict[str, type]:
    """Load every plugin class registered under the entry-point group, by PLUGIN_ID."""
    found = {}
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        plugin = entry.load()
        if entry.name != plugin.PLUGIN_ID:
            raise RuntimeError(f"entry point {entry.name!r} loads {plugin.PLUGIN_ID!r}")
        found[entry.name] = plugin
    return found


def plugins_for(port: Port) -> dict[str, type]:
    """Return the installed plugins that implement `port` and may be used here, by id."""
    config = current_app.config
    local_allowed = config["KUAJING_ENV"] == "development" or config.get("TESTING")
    return {
        pid: cls
        for pid, cls in sorted(installed_plugins().items())
        if port == cls.KIND and (local_allowed or not getattr(cls, "LOCAL_ONLY", False))
    }


def plugin_class(port: Port, plugin_id: str) -> type:
    """Return the plugin class `plugin_id` for `port`, or raise UnknownPlugin."""
    plugin = plugins_for(port).get(plugin_id)
    if plugin is None:
        raise UnknownPlugin(f"no {port} plugin {plugin_id!r}")
    return plugin


def tenant_choice(port: Port, tenant_id: int) -> Choice | None:
    """Read the tenant's own choice for `port` (never another tenant's)."""
    with tenant_context(tenant_id):
        row = db.session.scalar(select(PluginSetting).where(PluginSetting.port == port))
        if row is None:
            return None
        return Choice(tenant_id, row.plugin_id, json.loads(row.settings), row.version)


def platform_choice(port: Port, tenant_id: int | None = None) -> Choice | None:
    """The platform's own services for stores that chose none: Stripe from the configuration
    for payments; the customs transport of CUSTOMS_TRANSPORT; sandboxes for the customs
    signature, the bonded warehouse and e-invoices, with a key and records of the store's own."""
    config = current_app.config
    if port == Port.PAYMENT and config.get("STRIPE_SECRET_KEY"):
        settings = {
            "secret_key": config["STRIPE_SECRET_KEY"],
            "webhook_secret": config.get("STRIPE_WEBHOOK_SECRET") or "",
            "api_base": config.get("STRIPE_API_BASE"),
            "publishable_key": config.get("STRIPE_PUBLISHABLE_KEY"),
        }
        return Choice(None, "stripe", settings, 0)
    if port == Port.CUSTOMS_TRANSPORT:
        return Choice(None, f"{config['CUSTOMS_TRANSPORT']}_customs_transport", {}, 0)
    if port == Port.MAIL and tenant_id is None:
        return mail_choice(config)
    if port in SANDBOX_DEFAULTS:
        return Choice(tenant_id, SANDBOX_DEFAULTS[port], {}, 0)
    return None


def mail_choice(config) -> Choice:
    """The platform's mailer (mail is a platform port): SMTP from SMTP_*, or the sandbox."""
    if config["MAIL_TRANSPORT"] != "smtp":
        return Choice(None, "sandbox_mail", {}, 0)
    settings = {
        "host": config["SMTP_HOST"],
        "port": str(config["SMTP_PORT"]),
        "security": config["SMTP_SECURITY"],
        "username": config.get("SMTP_USER") or "",
        "password": config.get("SMTP_PASSWORD") or "",
        "sender": config["MAIL_FROM"],
    }
    return Choice(None, "smtp_mail", settings, 0)


def files_folder(tenant_id: int | None, plugin_id: str) -> Path:
    """Where a plugin keeps its files for one tenant (never a path the merchant chose).

    The platform's folder transport is the e-port client's exchange folder of the instance.
    """
    if tenant_id is None and plugin_id == "folder_customs_transport":
        return Path(current_app.instance_path) / "customs"
    root = current_app.config.get("SANDBOX_DIR") or Path(current_app.instance_path) / "sandbox"
    return Path(root) / (f"tenant-{tenant_id}" if tenant_id is not None else "platform") / plugin_id


class Registry:
    """Find and build the adapter that serves a port for a tenant."""

    def get(self, port: Port, tenant) -> object:
        """Return the adapter `tenant` (a Tenant, its id, or None) configured for `port`."""
        tenant_id = getattr(tenant, "id", tenant)
        choice = tenant_choice(port, tenant_id) if tenant_id is not None else None
        choice = choice or platform_choice(port, tenant_id)
        if choice is None:
            raise NotConfigured(f"no {port} plugin is configured")
        return self.build(port, choice)

    def for_callback(self, port: Port, plugin_id: str, tenant_id: int | None) -> object:
        """Return the adapter of the account (tenant's or platform's) at this callback URL."""
        plugin_class(port, plugin_id)  # raises UnknownPlugin for other ports' plugins too
        choice = platform_choice(port) if tenant_id is None else tenant_choice(port, tenant_id)
        if choice is None or choice.plugin_id != plugin_id:
            raise UnknownPlugin(plugin_id)
        return self.build(port, choice)

    def build(self, port: Port, choice: Choice) -> object:
        """Build the adapter once per (tenant, plugin, settings version)."""
        adapters = current_app.extensions.setdefault(CACHE, {})
        key = (choice.tenant_id, choice.plugin_id, choice.version)
        if key not in adapters:
            plugin = plugin_class(port, choice.plugin_id)
            settings = dict(choice.settings)
            if getattr(plugin, "KEEPS_FILES", False):
                settings["folder"] = str(files_folder(choice.tenant_id, plugin.PLUGIN_ID))
            adapters[key] = plugin.from_settings(settings)
        return adapters[key]


registry = Registry()


def payment_provider() -> PaymentProvider:
    """Return the payment adapter of the tenant in context (or the platform's account)."""
    return registry.get(Port.PAYMENT, current_tenant_id())
