"""A purchase from sign-up to review through the API alone, paid by card at the local Stripe
server and confirmed by its signed event, shipped by the merchant in the console."""

import uuid

from flask import current_app
from sqlalchemy import select

from storefront.extensions import db
from storefront.models import Payment
from storefront.tenancy import tenant_context
from tests.api.helpers import bearer
from tests.support import factories
from tests.support.localstripe import confirm_card
from tests.web.helpers import login_staff
from tests.web.test_checkout_flow import VISA, signed, succeeded_event

ID_NUMBER = "440308199901011234"


def test_sign_up_to_review_through_the_api(client, tenants):
    """Overseas direct mail: taxed and real-name, and shipped by the merchant itself (bonded
    goods wait for customs' release and leave with the warehouse, SPEC §6)."""
    a = tenants.a
    with tenant_context(a.tenant.id):
        product = factories.product(a.supplier, "300.00", a.template, "direct_mail")
    base = f"/api/v1/stores/{a.tenant.slug}"
    account = {"name": "王五", "email": "wangwu@example.com", "password": "a long passphrase 9"}
    assert client.post(f"{base}/auth/sign-up", json=account).status_code == 202
    credentials = {"email": account["email"], "password": account["password"]}
    token = client.post(f"{base}/auth/token", json=credentials).get_json()["token"]
    auth = bearer(token)

    def call(method: str, path: str, json=None, **headers):
        return client.open(base + path, method=method, json=json, headers=auth | headers)

    cart = call("POST", "/carts").get_json()["id"]
    line = {"product_id": product.id, "quantity": 1}
    assert call("POST", f"/carts/{cart}/items", line).status_code == 200
    address = call("POST", "/addresses", _address()).get_json()
    identity = call(
        "POST", "/identities", {"real_name": "王五", "id_number": ID_NUMBER, "phone": "13912345678"}
    ).get_json()
    assert identity["id_number_masked"] == "440***********1234"
    quote = call("GET", f"/carts/{cart}/quote?identity_id={identity['id']}").get_json()
    assert quote["can_check_out"] and quote["orders"][0]["method"] == "postal"
    assert quote["annual_remaining"] == "20000.00"

    placement = {"address_id": address["id"], "identity_id": identity["id"]}
    placement["expected_total"] = quote["total"]
    key = uuid.uuid4().hex
    placed = call("POST", "/checkouts", placement, **{"Idempotency-Key": key})
    retried = call("POST", "/checkouts", placement, **{"Idempotency-Key": key})
    assert placed.status_code == retried.status_code == 201
    assert retried.get_json() == placed.get_json()
    checkout = placed.get_json()
    order_id = checkout["orders"][0]["id"]

    started = call("POST", f"/checkouts/{checkout['id']}/payments", {"method": "card"})
    action = started.get_json()["next_action"]
    assert action["type"] == "confirm_card" and action["publishable_key"]
    # what Stripe.js does in the shopper's browser: the card goes to Stripe, never to us
    confirm_card(current_app.config["STRIPE_API_BASE"], action["client_secret"], VISA)
    assert call("GET", f"/orders/{order_id}").get_json()["status"] == "pending_payment"
    with tenant_context(a.tenant.id):
        payment_id = started.get_json()["payment_id"]
        reference = db.session.scalar(select(Payment.reference).where(Payment.id == payment_id))
        body, headers = signed(succeeded_event(reference, "evt_api_purchase"))
    assert client.post("/webhooks/stripe", data=body, headers=headers).status_code == 200

    paid = call("GET", f"/orders/{order_id}").get_json()
    assert (paid["status"], paid["status_text"]) == ("paid", "待发货")
    assert paid["totals"]["total"] == quote["total"] and paid["customs"] is None
    assert paid["payment"]["status"] == "succeeded"
    english = call("GET", f"/orders/{order_id}", **{"Accept-Language": "en"}).get_json()
    assert english["status_text"] == "Awaiting shipment"

    login_staff(client, a.owner)
    shipment = {"carrier": "SF", "tracking_number": "SF1234567890123"}
    shipped = client.post(f"/admin/orders/{order_id}/ship", data=shipment)
    assert shipped.status_code == 302, shipped.get_data(as_text=True)[-3000:]
    client.post("/admin/logout")
    shipped = call("GET", f"/orders/{order_id}").get_json()
    assert shipped["logistics"]["tracking_number"] == "SF1234567890123"
    assert shipped["logistics"]["carrier_name"].startswith("顺丰")
    assert "confirm_receipt" in shipped["actions"]
    assert call("GET", "/notifications/unread-count").get_json()["unread"] >= 1

    received = call("POST", f"/orders/{order_id}/receipt")
    assert received.get_json()["status_text"] == "已收货"
    line_id = received.get_json()["lines"][0]["id"]
    review = {"line_id": line_id, "rating": 5, "body": "正品，物流很快"}
    reused = call("POST", f"/orders/{order_id}/reviews", review, **{"Idempotency-Key": key})
    assert reused.get_json()["error"]["code"] == "idempotency_key_reused"
    fresh = {"Idempotency-Key": uuid.uuid4().hex}
    assert call("POST", f"/orders/{order_id}/reviews", review, **fresh).status_code == 201
    final = call("GET", f"/orders/{order_id}").get_json()
    assert final["lines"][0]["review"] == {"rating": 5, "body": "正品，物流很快"}
    assert [entry["status"] for entry in final["history"]] == [
        "pending_payment",
        "paid",
        "shipped",
        "received",
    ]


def _address() -> dict:
    return {
        "consignee": "王五",
        "phone": "13912345678",
        "province": "广东省",
        "city": "深圳市",
        "district": "福田区",
        "detail": "深南大道 1 号",
        "postcode": "518000",
    }
