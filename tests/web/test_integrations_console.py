"""The Integrations page (owners only, secrets masked, audited) and per-tenant callbacks."""

import json
import time

import stripe
from sqlalchemy import select

from storefront.extensions import db
from storefront.models import Order, Payment, PluginSettingChange, ProviderEvent
from storefront.tenancy import tenant_context
from tests.conftest import WEBHOOK_SECRET
from tests.support import factories
from tests.web.helpers import login_staff
from tests.web.test_checkout_flow import place_and_pay, succeeded_event
from tests.web.test_integrations import SECRET_A, local_stripe

PAGE = "/admin/integrations"


def save_local_stripe(client, server, secret=""):
    data = {"plugin": "stripe_local", "settings-api_base": server}
    data["settings-webhook_secret"] = secret
    return client.post(f"{PAGE}/payment", data=data)


def signed(event: dict, secret: str) -> tuple[bytes, dict]:
    payload, stamp = json.dumps(event), int(time.time())
    signature = stripe.WebhookSignature._compute_signature(f"{stamp}.{payload}", secret)
    return payload.encode(), {"Stripe-Signature": f"t={stamp},v1={signature}"}


def test_only_owners_reach_the_integrations_page(client, tenants):
    with tenant_context(tenants.a.tenant.id):
        clerk = factories.staff(role="staff")
    login_staff(client, clerk)
    assert client.get(PAGE).status_code == 403
    assert client.post(f"{PAGE}/payment", data={"plugin": "stripe_local"}).status_code == 403
    assert "/admin/integrations" not in client.get("/admin/").get_data(as_text=True)


def test_settings_are_validated_masked_and_audited_without_values(client, tenants, stripe_server):
    a = tenants.a
    login_staff(client, a.owner)
    page = client.get(PAGE).get_data(as_text=True)
    assert "stripe" in page and "/admin/integrations/mail" in page
    refused = save_local_stripe(client, "http://example.com", "not-a-secret")
    assert refused.status_code == 200
    assert "whsec_" in refused.get_data(as_text=True)  # the form error names the format
    assert save_local_stripe(client, stripe_server, SECRET_A).status_code == 302
    form = client.get(f"{PAGE}/payment").get_data(as_text=True)
    assert SECRET_A not in form and "••••" + SECRET_A[-4:] in form
    assert stripe_server in form  # not a secret: shown for editing
    other = "http://127.0.0.1:1"
    assert save_local_stripe(client, other, "").status_code == 302  # blank keeps the secret
    with tenant_context(a.tenant.id):
        changes = db.session.scalars(select(PluginSettingChange).order_by("id")).all()
    assert [c.fields for c in changes] == [["api_base", "webhook_secret"], ["api_base"]]
    assert changes[0].previous_plugin_id is None and a.owner.email in changes[0].changed_by
    overview = client.get(PAGE).get_data(as_text=True)
    assert SECRET_A not in overview and "webhook_secret" in overview and "stripe_local" in overview


def test_a_console_shows_only_its_own_tenants_settings(client, tenants, stripe_server):
    local_stripe(tenants.b.tenant, stripe_server, SECRET_A)
    login_staff(client, tenants.a.owner)
    assert "stripe_local" not in client.get(PAGE).get_data(as_text=True)
    form = client.get(f"{PAGE}/payment?plugin=stripe_local").get_data(as_text=True)
    assert stripe_server not in form and SECRET_A[-4:] not in form


def test_unknown_ports_and_plugins_are_404(client, tenants):
    login_staff(client, tenants.a.owner)
    assert client.get(f"{PAGE}/teleport").status_code == 404
    assert client.get(f"{PAGE}/payment?plugin=sandbox_mail").status_code == 404
    response = client.post("/webhooks/nope", data=b"{}")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "unknown_plugin"
    assert client.post("/webhooks/stripe/no-such-store", data=b"{}").status_code == 404


def test_a_tenant_account_pays_and_its_callbacks_use_its_secret(client, tenants, stripe_server):
    a = tenants.a
    local_stripe(a.tenant, stripe_server, SECRET_A)
    with tenant_context(a.tenant.id):
        order, _ = place_and_pay(client, a)
        payment = db.session.scalar(select(Payment).where(Payment.checkout_id == order.checkout_id))
        assert payment.provider == "stripe_local"
    event = succeeded_event(payment.reference, "evt_alpha_own")
    own_url = f"/webhooks/stripe_local/{a.tenant.slug}"
    body, headers = signed(event, WEBHOOK_SECRET)  # the platform's secret is not A's
    assert client.post(own_url, data=body, headers=headers).status_code == 400
    assert client.post("/webhooks/stripe_local", data=body, headers=headers).status_code == 404
    body, headers = signed(event, SECRET_A)
    assert client.post(own_url, data=body, headers=headers).status_code == 200
    with tenant_context(a.tenant.id):
        assert db.session.get(Order, order.id).status == "paid"
    assert db.session.scalar(select(ProviderEvent.provider)) == "stripe_local"


def test_a_tenant_secret_cannot_touch_another_tenants_payment(client, tenants, stripe_server):
    a, b = tenants.a, tenants.b
    local_stripe(a.tenant, stripe_server, SECRET_A)
    forged = {
        "id": "evt_forged",
        "object": "event",
        "type": "payment_intent.payment_failed",
        "created": int(time.time()),
        "data": {"object": {"id": b.payment.reference, "object": "payment_intent"}},
    }
    body, headers = signed(forged, SECRET_A)
    response = client.post(f"/webhooks/stripe_local/{a.tenant.slug}", data=body, headers=headers)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "foreign_payment"
    assert db.session.scalar(select(ProviderEvent.id)) is None
