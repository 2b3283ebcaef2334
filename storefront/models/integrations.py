"""Each tenant's choice of plugin per port, its settings (encrypted) and who changed them."""

from datetime import datetime

from sqlalchemy import JSON, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storefront.extensions import db
from storefront.models.types import Encrypted, UTCDateTime, utcnow
from storefront.tenancy import TenantScoped


class PluginSetting(TenantScoped, db.Model):
    """The plugin a tenant chose for one port; `version` keys the adapter cache."""

    __tablename__ = "plugin_settings"
    __table_args__ = (UniqueConstraint("tenant_id", "port"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    port: Mapped[str] = mapped_column(String(30))
    plugin_id: Mapped[str] = mapped_column(String(60))
    # All settings as one JSON document, encrypted: secrets and the rest alike.
    settings: Mapped[str] = mapped_column(Encrypted)
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PluginSettingChange(TenantScoped, db.Model):
    """Audit: who changed which settings of a port when (field names only, never values)."""

    __tablename__ = "plugin_setting_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    port: Mapped[str] = mapped_column(String(30))
    plugin_id: Mapped[str] = mapped_column(String(60))
    previous_plugin_id: Mapped[str | None] = mapped_column(String(60), nullable=True)
    fields: Mapped[list] = mapped_column(JSON)
    changed_by: Mapped[str] = mapped_column(String(200))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
