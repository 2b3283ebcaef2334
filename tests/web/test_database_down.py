"""With the database unreachable, pages answer 503 with Retry-After, never 500."""

import json
import time

import pytest
import stripe
from flask_login.utils import _create_identifier

from storefront import create_app
from storefront.extensions import db
from tests.conftest import WEBHOOK_SECRET, app_config
from tests.support.servers import free_port


@pytest.fixture(scope="module")
def down_app(stripe_server):
    # A loopback port nothing listens on: every connection is refused at once.
    url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/app"
    app = create_app(app_config(url, STRIPE_API_BASE=stripe_server))
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("GET", "/s/demo/", None),
        ("GET", "/s/demo/products/1", None),
        ("POST", "/admin/login", {"email": "a@example.com", "password": "whatever it is"}),
        ("POST", "/platform/login", {"email": "a@example.com", "password": "whatever it is"}),
    ],
)
def test_pages_answer_503_with_the_error_page(down_app, method, path, data):
    response = down_app.test_client().open(path, method=method, data=data)
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    body = response.get_data(as_text=True)
    assert "服务暂时不可用" in body
    assert "<html" in body


def test_json_clients_get_a_json_503(down_app):
    response = down_app.test_client().get("/s/demo/", headers={"Accept": "application/json"})
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    assert response.get_json()["error"]["code"] == "service_unavailable"


def test_a_signed_in_visitor_gets_the_503_page_too(down_app):
    client = down_app.test_client()
    with down_app.test_request_context(environ_base=client.environ_base):
        identifier = _create_identifier()  # the "strong" session protection's fingerprint
    with client.session_transaction() as session:
        session.update({"_user_id": "staff:1:1:1", "_id": identifier, "_fresh": True})
    response = client.get("/admin/products")
    assert response.status_code == 503


def test_a_signed_provider_event_gets_a_json_503_to_retry(down_app):
    payload = json.dumps(
        {
            "id": "evt_down",
            "object": "event",
            "type": "payment_intent.succeeded",
            "created": int(time.time()),
            "data": {"object": {"id": "pi_down", "object": "payment_intent", "metadata": {}}},
        }
    )
    signature = stripe.WebhookSignature.generate_signature_header(payload, WEBHOOK_SECRET)
    response = down_app.test_client().post(
        "/webhooks/stripe",
        data=payload,
        headers={"Stripe-Signature": signature, "Content-Type": "application/json"},
    )
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    assert response.get_json()["error"]["code"] == "service_unavailable"
