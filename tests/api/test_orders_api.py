"""Placing, paying and following orders through the API: the shop's rules and words."""

import uuid
from decimal import Decimal as D

from sqlalchemy import func, select

from storefront.extensions import db
from storefront.models import Invoice, InvoiceFile, Notification, Order
from storefront.services.api_carts import open_cart, set_cart_quantity
from storefront.services.notifications import notify
from storefront.tenancy import tenant_context
from tests.api.helpers import bearer
from tests.api.shopping import ApiShopper
from tests.support import factories
from tests.support.race import all_at_once, race_app


def _orders_of(store) -> int:
    with tenant_context(store.tenant.id):
        return db.session.scalar(
            select(func.count()).select_from(Order).where(Order.shopper_id == store.shopper.id)
        )


def test_a_retried_placement_returns_the_first_checkout_and_places_once(client, tenants):
    a = tenants.a
    shopper = ApiShopper(client, a)
    quote = shopper.fill_cart((a.product.id, 1))
    assert quote["total"] == "877.45" and quote["can_check_out"]
    first = shopper.place("877.45", key="place-1")
    assert first.status_code == 201, first.get_json()
    checkout = first.get_json()
    assert checkout["amount"] == "877.45" and len(checkout["orders"]) == 1
    assert checkout["orders"][0]["status_text"] == "待付款"
    again = shopper.place("877.45", key="place-1")
    assert again.status_code == 201 and again.get_json() == checkout
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _orders_of(a) == 2  # the factory's order and this one
    assert shopper.get(f"/carts/{_cart_id(shopper)}").get_json()["items"] == []


def test_a_placement_whose_stored_answer_was_lost_still_finds_its_checkout(client, tenants):
    """The checkout's token comes from the key: even past the idempotency record (dropped
    when a request fails after the commit), one key never places twice."""
    a = tenants.a
    shopper = ApiShopper(client, a)
    shopper.fill_cart((a.product.id, 1))
    first = shopper.place("877.45", key="lost-answer").get_json()
    with tenant_context(a.tenant.id):
        from storefront.models.api import IdempotencyRecord

        db.session.execute(IdempotencyRecord.__table__.delete())
    shopper.fill_cart((a.product.id, 1))
    again = shopper.place("877.45", key="lost-answer")
    assert again.status_code == 201 and again.get_json()["id"] == first["id"]
    assert _orders_of(a) == 2
    assert shopper.get(f"/carts/{_cart_id(shopper)}").get_json()["items"]  # left alone


def test_a_placement_needs_an_idempotency_key(client, tenants):
    shopper = ApiShopper(client, tenants.a)
    shopper.fill_cart((tenants.a.product.id, 1))
    body = {"address_id": tenants.a.address.id, "expected_total": "877.45"}
    response = shopper.post("/checkouts", body)
    assert response.status_code == 422
    assert "Idempotency-Key" in response.get_json()["error"]["fields"]


def test_a_limit_refusal_names_the_rule_the_limit_and_the_amount(client, tenants):
    a = tenants.a
    shopper = ApiShopper(client, a)
    quote = shopper.fill_cart((a.product.id, 3))
    assert not quote["can_check_out"]
    response = shopper.place(quote["total"])
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "limit_exceeded"
    assert set(error["fields"]) == {"order_limit"}
    assert "2000.00" in error["message"] and "2400.00" in error["message"]
    english = shopper.client.post(
        shopper.base + "/checkouts",
        json={"address_id": a.address.id, "identity_id": a.identity.id, "expected_total": "1.00"},
        headers=shopper.auth | {"Idempotency-Key": "en-1", "Accept-Language": "en"},
    ).get_json()["error"]
    assert english["message"].startswith("Order limit")
    assert _orders_of(a) == 1


def test_mixing_refusal_and_missing_identity_and_changed_price(client, tenants):
    a = tenants.a
    shopper = ApiShopper(client, a)
    quote = shopper.fill_cart((a.product.id, 1), (a.non_tax_product.id, 1))
    mixed = shopper.place(quote["total"]).get_json()["error"]
    assert mixed["code"] == "mixed_cart" and set(mixed["fields"]) == {"tax_and_non_tax"}
    cart = _cart_id(shopper)
    shopper.client.delete(
        f"{shopper.base}/carts/{cart}/items/{a.non_tax_product.id}", headers=shopper.auth
    )
    nobody = shopper.place("877.45", identity=False)
    assert nobody.status_code == 422
    assert nobody.get_json()["error"]["code"] == "invalid_request"
    assert set(nobody.get_json()["error"]["fields"]) == {"identity_id"}
    changed = shopper.place("800.00")
    assert changed.status_code == 409
    error = changed.get_json()["error"]
    assert error["code"] == "price_changed" and "877.45" in error["fields"]["expected_total"]
    foreign = shopper.place("877.45", address_id=tenants.b.address.id)
    assert foreign.status_code == 422 and "address_id" in foreign.get_json()["error"]["fields"]
    foreign = shopper.place("877.45", identity_id=tenants.b.identity.id)
    assert foreign.status_code == 422 and "identity_id" in foreign.get_json()["error"]["fields"]
    assert _orders_of(a) == 1


def test_wallets_answer_their_next_action(client, tenants):
    a = tenants.a
    shopper = ApiShopper(client, a)
    shopper.fill_cart((a.product.id, 1))
    checkout = shopper.place("877.45").get_json()
    path = f"/checkouts/{checkout['id']}/payments"
    alipay = shopper.post(path, {"method": "alipay"})
    assert alipay.status_code == 201, alipay.get_json()
    action = alipay.get_json()["next_action"]
    assert action["type"] == "redirect" and action["redirect_url"].startswith("http")
    wechat = shopper.post(path, {"method": "wechat_pay"}).get_json()
    assert wechat["next_action"]["type"] == "wechat_qr" and wechat["next_action"]["qr_data"]
    card = shopper.post(path, {"method": "card"}).get_json()
    assert card["next_action"]["type"] == "confirm_card"
    assert card["next_action"]["client_secret"] and card["amount"] == "877.45"
    unknown = shopper.post(path, {"method": "cash"})
    assert unknown.status_code == 422
    paid = shopper.post(f"/checkouts/{a.order.checkout_id}/payments", {"method": "card"})
    assert paid.status_code == 409 and paid.get_json()["error"]["code"] == "not_payable"


def test_orders_are_listed_by_cursor_and_filtered_by_status(client, tenants):
    a = tenants.a
    with tenant_context(a.tenant.id):
        extra = [factories.order(a.shopper, a.product, a.address, a.identity) for _ in range(2)]
        extra[0].status = "shipped"
        db.session.flush()
        mine = db.session.scalars(
            select(Order.id).where(Order.shopper_id == a.shopper.id).order_by(Order.id.desc())
        ).all()
    assert len(mine) >= 3 and mine[:2] == [extra[1].id, extra[0].id]
    shopper, seen, cursor = ApiShopper(client, a), [], ""
    while cursor is not None:
        page = shopper.get(f"/orders?limit=2&cursor={cursor}" if cursor else "/orders?limit=2")
        assert len(page.get_json()["items"]) <= 2
        seen += [order["id"] for order in page.get_json()["items"]]
        cursor = page.get_json()["next_cursor"]
    assert seen == mine  # every order once, newest first
    shipped = shopper.get("/orders?status=shipped").get_json()["items"]
    assert extra[0].id in [o["id"] for o in shipped]
    assert {(o["status"], o["status_text"]) for o in shipped} == {("shipped", "已发货")}
    assert shopper.get("/orders?status=lost").status_code == 422


def test_the_order_detail_shows_figures_customs_and_invoice_but_no_id_number(client, tenants):
    a = tenants.a
    with tenant_context(a.tenant.id):
        factories.customs_declaration(a.order, state="rejected", reason_code="-621018")
    detail = ApiShopper(client, a).get(f"/orders/{a.order.id}").get_json()
    assert detail["status_text"] == "待发货"
    assert detail["totals"] == {
        "goods": "800.00",
        "freight": "0.00",
        "tax_due": "77.45",
        "total": "877.45",
        "refunded": "0.00",
    }
    assert detail["taxes"]["tariff"] == "40.00" and detail["taxes"]["tag"] == "cross_border_retail"
    assert detail["customs"]["state"] == "rejected" and "20000.00" in detail["customs"]["reason"]
    assert detail["invoice"] == {"requested": False, "invoices": []}
    assert detail["payment"]["method"] == "card" and detail["logistics"] is None
    assert detail["actions"] == [] and detail["lines"][0]["review"] is None
    assert a.identity.id_number not in str(detail)


def test_receipt_and_review_follow_the_order_state(client, tenants):
    a = tenants.a
    shopper = ApiShopper(client, a)
    line_id = a.order.lines[0].id
    early = shopper.post(f"/orders/{a.order.id}/reviews", {"line_id": line_id, "rating": 5})
    assert early.status_code == 409 and early.get_json()["error"]["code"] == "not_received"
    refused = shopper.post(f"/orders/{a.order.id}/receipt")
    assert refused.status_code == 409  # paid, not shipped yet
    with tenant_context(a.tenant.id):
        a.order.status, a.order.carrier, a.order.tracking_number = "shipped", "SF", "SF123456789"
        db.session.flush()
    received = shopper.post(f"/orders/{a.order.id}/receipt")
    assert received.status_code == 200 and received.get_json()["status"] == "received"
    assert received.get_json()["actions"] == ["review"]
    review = {"line_id": line_id, "rating": 4, "body": " 很好 "}
    written = shopper.post(f"/orders/{a.order.id}/reviews", review)
    assert written.status_code == 201 and written.get_json() == {
        "rating": 4,
        "body": "很好",
        "line_id": line_id,
    }
    twice = shopper.post(f"/orders/{a.order.id}/reviews", review)
    assert twice.get_json()["error"]["code"] == "already_reviewed"
    detail = shopper.get(f"/orders/{a.order.id}").get_json()
    assert detail["lines"][0]["review"] == {"rating": 4, "body": "很好"}


def test_another_shoppers_order_is_not_found(client, tenants):
    a = tenants.a
    with tenant_context(a.tenant.id):
        other = factories.shopper()
    stranger = ApiShopper(client, a, other)
    for path in (f"/orders/{a.order.id}", f"/orders/{a.order.id}/receipt"):
        response = stranger.get(path) if path.endswith(str(a.order.id)) else stranger.post(path)
        assert response.status_code == 404
    assert stranger.get("/orders").get_json()["items"] == []
    paying = stranger.post(f"/checkouts/{a.order.checkout_id}/payments", {"method": "card"})
    assert paying.status_code == 404


def test_notifications_are_listed_counted_and_marked_read(client, tenants):
    a = tenants.a
    with tenant_context(a.tenant.id):
        params = {"order_id": a.order.id, "number": a.order.number, "amount": "10.00"}
        notify(a.shopper.id, "refund:1", "refund", params)
        notify(a.shopper.id, "welcome", "welcome")
        first_id = db.session.scalar(select(func.min(Notification.id)))
    shopper = ApiShopper(client, a)
    assert shopper.get("/notifications/unread-count").get_json() == {"unread": 2}
    listed = shopper.get("/notifications").get_json()["items"]
    assert [n["kind"] for n in listed] == ["welcome", "refund"]
    assert a.order.number in listed[1]["text"] and listed[1]["order_id"] == a.order.id
    assert shopper.post("/notifications/read", {"ids": [first_id]}).get_json() == {"unread": 1}
    assert shopper.post("/notifications/read", {}).get_json() == {"unread": 0}
    assert all(n["read"] for n in shopper.get("/notifications").get_json()["items"])


def _cart_id(shopper: ApiShopper) -> str:
    return shopper.post("/carts").get_json()["id"]


def test_simultaneous_placements_with_one_key_place_once(database_url, app):
    """Four retries of one placement arrive together on real connections: one order."""
    with race_app(database_url, RETRIES) as racing:
        ids = _store_with_a_full_cart(racing)
        codes = all_at_once(RETRIES, lambda _n, barrier: _place_racing(racing, ids, barrier))
        with racing.app_context(), tenant_context(ids["tenant"]):
            orders = db.session.scalar(
                select(func.count()).select_from(Order).where(Order.shopper_id == ids["shopper"])
            )
    assert orders == 2  # the factory's order and one placement
    assert 201 in codes and set(codes) <= {201, 409}, codes


RETRIES = 4


def _store_with_a_full_cart(app) -> dict:
    with app.app_context():
        store = factories.store(f"race{uuid.uuid4().hex[:8]}")
        with tenant_context(store.tenant.id):
            cart = open_cart(store.shopper.id)
            set_cart_quantity(cart.id, store.product.id, 1)
            ids = {
                "tenant": store.tenant.id,
                "slug": store.tenant.slug,
                "shopper": store.shopper.id,
                "email": store.shopper.email,
                "address": store.address.id,
                "identity": store.identity.id,
            }
            db.session.commit()
        db.session.remove()
    return ids


def _place_racing(app, ids: dict, barrier) -> int:
    client, base = app.test_client(), f"/api/v1/stores/{ids['slug']}"
    credentials = {"email": ids["email"], "password": factories.PASSWORD}
    token = client.post(f"{base}/auth/token", json=credentials).get_json()["token"]
    body = {"address_id": ids["address"], "identity_id": ids["identity"]}
    body["expected_total"] = "877.45"
    headers = bearer(token) | {"Idempotency-Key": "one-placement"}
    barrier.wait()
    return client.post(f"{base}/checkouts", json=body, headers=headers).status_code


def test_an_unpaid_order_is_cancelled_and_a_paid_one_is_not(client, tenants):
    a = tenants.a
    shopper = ApiShopper(client, a)
    quote = shopper.fill_cart((a.product.id, 2))
    placed = shopper.place(quote["total"]).get_json()["orders"][0]
    detail = shopper.get(f"/orders/{placed['id']}").get_json()
    assert detail["actions"] == ["pay", "cancel"]
    cancelled = shopper.post(f"/orders/{placed['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.get_json()["status_text"] == "已取消"
    with tenant_context(a.tenant.id):
        db.session.refresh(a.product)
        assert a.product.stock == 100  # both units back
    refused = shopper.post(f"/orders/{a.order.id}/cancel", headers={"Accept-Language": "en"})
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "not_allowed_for_actor"


def test_an_issued_invoice_is_shown_with_its_download_links(client, tenants):
    a = tenants.a
    with tenant_context(a.tenant.id):
        invoice = Invoice(
            order_id=a.order.id, kind="blue", cause="trigger", serial="api-1", state="issued",
            number="26312000000000000001", buyer_name="张三", business_type=0, lines=[],
            total_amount=D("776.50"), total_tax=D("100.95"), total=D("877.45"), drawer="李会计",
        )  # fmt: skip
        db.session.add(invoice)
        db.session.flush()
        pdf = InvoiceFile(
            invoice_id=invoice.id, name="invoice.pdf", media_type="application/pdf",
            source="ours", content=b"%PDF-1.7 invoice",
        )  # fmt: skip
        db.session.add(pdf)
        db.session.flush()
    shopper = ApiShopper(client, a)
    shown = shopper.get(f"/orders/{a.order.id}").get_json()["invoice"]["invoices"]
    assert [(i["state"], i["state_text"]) for i in shown] == [("issued", "已开具")]
    download = client.get(shown[0]["pdf_url"], headers=shopper.auth)
    assert download.status_code == 200 and download.data == b"%PDF-1.7 invoice"
    assert download.mimetype == "application/pdf"
    assert client.get(shown[0]["xml_url"], headers=shopper.auth).status_code == 404  # none
    with tenant_context(a.tenant.id):
        other = factories.shopper()
    stranger = ApiShopper(client, a, other)
    assert client.get(shown[0]["pdf_url"], headers=stranger.auth).status_code == 404
