"""Every installed plugin has what the registry needs, and a sandbox twin for its port."""

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form

from plugins.stripe_payments.settings import LocalStripeSettingsForm, StripeSettingsForm
from storefront.integrations import installed_plugins
from storefront.ports import Port

PLUGINS = installed_plugins()


def test_built_ins_are_found_through_entry_points():
    kinds = {plugin.KIND for plugin in PLUGINS.values()}
    assert kinds == set(Port)
    assert {"stripe", "stripe_local", "sandbox_mail"} <= PLUGINS.keys()


@pytest.mark.parametrize("plugin_id", sorted(PLUGINS))
def test_each_plugin_declares_its_port_form_secrets_and_sandbox_twin(plugin_id):
    plugin = PLUGINS[plugin_id]
    assert plugin_id == plugin.PLUGIN_ID and plugin.KIND in set(Port)
    assert issubclass(plugin.SettingsForm, Form)
    assert set(plugin.SECRET_FIELDS) <= set(plugin.SettingsForm().data)
    assert callable(plugin.from_settings)
    twin = PLUGINS[plugin.SANDBOX]
    assert twin.KIND == plugin.KIND and twin.SANDBOX == twin.PLUGIN_ID


@pytest.mark.parametrize(
    ("form", "values", "bad"),
    [
        (
            StripeSettingsForm,
            {"secret_key": "pk_live_x"},
            "secret_key",
        ),
        (
            StripeSettingsForm,
            {"secret_key": "sk_live_x", "webhook_secret": "x"},
            "webhook_secret",
        ),
        (
            StripeSettingsForm,
            {"secret_key": "sk_live_x", "publishable_key": "sk_live_x"},
            "publishable_key",
        ),
        (LocalStripeSettingsForm, {"api_base": "http://10.0.0.5:8420"}, "api_base"),
        (LocalStripeSettingsForm, {"api_base": "https://127.0.0.1:8420"}, "api_base"),
    ],
)
def test_stripe_settings_are_checked(form, values, bad):
    checked = form(MultiDict({"webhook_secret": "whsec_1", **values}))
    assert not checked.validate() and bad in checked.errors


def test_good_stripe_settings_pass():
    values = {
        "secret_key": "sk_test_abc",
        "publishable_key": "pk_test_abc",
        "webhook_secret": "whsec_1",
    }
    assert StripeSettingsForm(MultiDict(values)).validate()
    local = {"api_base": "http://127.0.0.1:8420", "webhook_secret": "whsec_1"}
    assert LocalStripeSettingsForm(MultiDict(local)).validate()
