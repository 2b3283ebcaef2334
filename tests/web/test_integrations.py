"""The plugin registry: each tenant's own adapters and settings, encrypted, never crossing."""

import json

import pytest
from sqlalchemy import text

from plugins.stripe_payments import LocalStripePayments, StripePayments
from storefront import crypto
from storefront.crypto import new_key
from storefront.extensions import db
from storefront.integrations import (
    NotConfigured,
    UnknownPlugin,
    plugin_class,
    plugins_for,
    registry,
    tenant_choice,
)
from storefront.ports import MailMessage, Port
from storefront.services.integrations import SettingsRefused, save_plugin_settings
from storefront.services.payments import browser_key
from storefront.tenancy import system_context, tenant_context

SECRET_A = "whsec_alpha_only_secret_1234"
SECRET_B = "whsec_beta_only_secret_5678"


def configure(tenant, port, plugin_id, who="owner@test", **settings):
    with tenant_context(tenant.id):
        return save_plugin_settings(port, plugin_id, settings, who)


def local_stripe(tenant, server, secret):
    configure(tenant, Port.PAYMENT, "stripe_local", api_base=server, webhook_secret=secret)


def test_a_tenant_without_settings_pays_through_the_platform_account(tenants):
    adapter = registry.get(Port.PAYMENT, tenants.a.tenant)
    assert type(adapter) is StripePayments and adapter.PLUGIN_ID == "stripe"
    assert registry.get(Port.PAYMENT, tenants.b.tenant.id) is adapter
    with pytest.raises(NotConfigured):
        registry.get(Port.MAIL, tenants.a.tenant)


def test_the_card_page_uses_the_publishable_key_of_the_tenant_s_own_account(client, tenants):
    a = tenants.a
    configure(
        a.tenant,
        Port.PAYMENT,
        "stripe",
        secret_key="sk_test_alpha",
        publishable_key="pk_test_alpha",
        webhook_secret=SECRET_A,
    )
    with tenant_context(a.tenant.id):
        assert browser_key() == "pk_test_alpha"
    with tenant_context(tenants.b.tenant.id):
        assert browser_key() == "pk_test_local"  # B pays through the platform's account


def test_tenant_a_settings_never_reach_tenant_b(tenants, stripe_server):
    a, b = tenants.a.tenant, tenants.b.tenant
    local_stripe(a, stripe_server, SECRET_A)
    configure(a, Port.MAIL, "sandbox_mail", delay_seconds="5")
    configure(b, Port.MAIL, "sandbox_mail", fail="reject")
    paying_a, paying_b = registry.get(Port.PAYMENT, a), registry.get(Port.PAYMENT, b)
    assert type(paying_a) is LocalStripePayments and paying_a.webhook_secret == SECRET_A
    assert type(paying_b) is StripePayments and paying_b.webhook_secret != SECRET_A
    mail_a, mail_b = registry.get(Port.MAIL, a), registry.get(Port.MAIL, b)
    assert (mail_a.delay, mail_a.failure, mail_b.delay, mail_b.failure) == (5, "", 0, "reject")
    mail_a.send(MailMessage(("buyer@example.com",), "A only", "text"))
    assert [m.subject for m in mail_a.outbox()] == ["A only"] and mail_b.outbox() == []
    assert mail_a.settings["folder"] != mail_b.settings["folder"]
    with tenant_context(b.id):  # even from inside B's context, B's own row
        assert tenant_choice(Port.PAYMENT, b.id) is None


def test_a_merchant_cannot_choose_where_sandbox_files_go(app, tenants):
    a = tenants.a.tenant
    configure(a, Port.MAIL, "sandbox_mail", folder="/etc")
    folder = registry.get(Port.MAIL, a).settings["folder"]
    assert folder.startswith(app.config["SANDBOX_DIR"]) and f"tenant-{a.id}" in folder


def test_the_local_stripe_server_is_not_offered_in_production(app, tenants, stripe_server):
    assert "stripe_local" in plugins_for(Port.PAYMENT)
    app.config.update(TESTING=False)
    try:
        assert list(plugins_for(Port.PAYMENT)) == ["stripe"]
        with pytest.raises(SettingsRefused):
            local_stripe(tenants.a.tenant, stripe_server, SECRET_A)
    finally:
        app.config.update(TESTING=True)


def test_unknown_plugins_and_plugins_of_another_port_are_refused(tenants):
    with pytest.raises(UnknownPlugin):
        plugin_class(Port.PAYMENT, "nope")
    with pytest.raises(UnknownPlugin):
        plugin_class(Port.PAYMENT, "sandbox_mail")
    with pytest.raises(SettingsRefused) as refused:
        configure(tenants.a.tenant, Port.PAYMENT, "sandbox_mail")
    assert "plugin" in refused.value.errors


def test_adapters_are_cached_per_settings_version(tenants):
    a = tenants.a.tenant
    configure(a, Port.MAIL, "sandbox_mail", delay_seconds="1")
    first = registry.get(Port.MAIL, a)
    assert registry.get(Port.MAIL, a) is first
    assert configure(a, Port.MAIL, "sandbox_mail", delay_seconds="1") is False
    configure(a, Port.MAIL, "sandbox_mail", delay_seconds="2")
    second = registry.get(Port.MAIL, a)
    assert second is not first and second.delay == 2


def test_settings_are_encrypted_in_the_database(tenants, stripe_server):
    local_stripe(tenants.a.tenant, stripe_server, SECRET_A)
    with system_context():  # the stored text itself, past the column type
        raw = db.session.execute(text("SELECT settings FROM plugin_settings")).scalars().all()
    assert len(raw) == 1
    assert SECRET_A not in raw[0] and "whsec_" not in raw[0] and stripe_server not in raw[0]
    assert json.loads(crypto.keyring().decrypt(raw[0]))["webhook_secret"] == SECRET_A


def test_key_rotation_keeps_plugin_settings_readable(app, tenants, stripe_server):
    local_stripe(tenants.a.tenant, stripe_server, SECRET_A)
    old_keys, fresh = app.config["ENCRYPTION_KEYS"], new_key()
    try:
        _use_keys(app, f"{fresh},{old_keys}")
        result = app.test_cli_runner().invoke(args=["keys", "rotate"])
        assert "re-encrypted with the newest key" in result.output, result.output
        _use_keys(app, fresh)  # the old key is gone: only rotated values can be read
        db.session.expire_all()
        choice = tenant_choice(Port.PAYMENT, tenants.a.tenant.id)
        assert choice.settings["webhook_secret"] == SECRET_A
    finally:
        _use_keys(app, old_keys)


def _use_keys(app, keys: str) -> None:
    app.config["ENCRYPTION_KEYS"] = keys
    app.extensions.pop(crypto.EXTENSION, None)
