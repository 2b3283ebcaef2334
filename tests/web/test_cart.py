"""The cart: one group per supplier with tax lines, mixing refusals, limits, quota, JSON."""

from decimal import Decimal as D

from storefront.extensions import db
from storefront.models.ledger import QuotaMovement, QuotaPerson
from storefront.models.types import utcnow
from storefront.tenancy import system_context, tenant_context
from tests.support import factories
from tests.web.helpers import login_shopper


def add(client, slug, product, quantity=1):
    response = client.post(
        f"/s/{slug}/cart/items", data={"product_id": product.id, "quantity": quantity}
    )
    assert response.status_code == 302


def seed_store(tenants):
    """Store A with the seed's template (5/6/7, postal 51), two suppliers, products."""
    a = tenants.a
    with tenant_context(a.tenant.id):
        other = factories.supplier(
            name="东京直邮", freight=D("12.00"), free_shipping_from=D("199.00")
        )
        template = factories.template("5", "6", "7", "51", name="Seed")
        return {
            "p100": factories.product(a.supplier, "100.00", template, "cross_border_retail"),
            "p3000": factories.product(a.supplier, "3000.00", template, "cross_border_retail"),
            "p1980": factories.product(a.supplier, "1980.00", template, "cross_border_retail"),
            "other_1980": factories.product(other, "150.00", template, "cross_border_retail"),
            "dm500": factories.product(a.supplier, "500.00", template, "direct_mail"),
            "dm600": factories.product(a.supplier, "600.00", template, "direct_mail"),
            "plain": a.non_tax_product,
        }


def test_cart_shows_the_seed_figures_per_supplier(client, tenants):
    products, slug = seed_store(tenants), tenants.a.tenant.slug
    add(client, slug, products["p1980"])
    add(client, slug, products["other_1980"])
    body = client.get(f"/s/{slug}/cart").get_data(as_text=True)
    assert body.count('class="card order-group"') == 2
    for figure in ("126.38", "147.44", "191.68", "2171.68"):  # seed scenario 2
        assert figure in body
    assert "东京直邮" in body and "¥12.00" in body  # freight under the free-shipping threshold
    assert "仅展示，按 0 计" in body  # the tariff is shown but counted as 0


def test_cart_json_has_the_cli_shape_per_order(client, tenants):
    products, slug = seed_store(tenants), tenants.a.tenant.slug
    add(client, slug, products["p100"])
    add(client, slug, products["p3000"])
    body = client.get(f"/s/{slug}/cart/quote.json").get_json()
    (order,) = body["orders"]
    assert {
        k: order[k]
        for k in (
            "tag",
            "policy",
            "method",
            "goods_total",
            "consumption_tax",
            "vat",
            "tax_due",
            "order_total",
        )
    } == {
        "tag": "cross_border_retail",
        "policy": "seed",
        "method": "composite",
        "goods_total": "3100.00",
        "consumption_tax": "197.87",
        "vat": "230.85",
        "tax_due": "300.11",
        "order_total": "3400.11",
    }
    (violation,) = order["violations"]
    assert (violation["code"], violation["limit"], violation["amount"]) == (
        "order_limit",
        "2000.00",
        "3100.00",
    )
    assert "¥2000.00" in violation["message"] and "¥3100.00" in violation["message"]
    assert body["can_check_out"] is False


def test_tax_and_non_tax_products_cannot_be_bought_together(client, tenants):
    products, slug = seed_store(tenants), tenants.a.tenant.slug
    add(client, slug, products["p100"])
    add(client, slug, products["plain"])
    body = client.get(f"/s/{slug}/cart").get_data(as_text=True)
    assert "税收产品与非税收产品不能同时下单" in body
    data = client.get(f"/s/{slug}/cart/quote.json").get_json()
    assert data["problems"] == [
        {
            "code": "tax_and_non_tax",
            "message": data["problems"][0]["message"],
            "remove": [str(products["plain"].id)],
        }
    ]


def test_different_tax_classes_cannot_be_bought_together(client, tenants):
    products, slug = seed_store(tenants), tenants.a.tenant.slug
    add(client, slug, products["p100"])
    add(client, slug, products["dm500"])
    data = client.get(f"/s/{slug}/cart/quote.json").get_json()
    assert [p["code"] for p in data["problems"]] == ["different_tax_classes"]


def test_direct_mail_daily_limit_is_named_with_limit_and_amount(client, tenants):
    products, slug = seed_store(tenants), tenants.a.tenant.slug
    add(client, slug, products["dm500"])
    add(client, slug, products["dm600"])
    body = client.get(f"/s/{slug}/cart").get_data(as_text=True)
    assert "直邮限额" in body and "¥1000.00" in body and "¥1100.00" in body
    assert "561.00" in body  # seed scenario 5: the tax is still shown


def test_signed_in_shopper_sees_the_remaining_annual_quota(client, tenants):
    products, slug = seed_store(tenants), tenants.a.tenant.slug
    login_shopper(client, tenants.a.tenant, tenants.a.shopper)
    add(client, slug, products["p1980"])
    data = client.get(f"/s/{slug}/cart/quote.json").get_json()
    assert data["annual_remaining"] == "20000.00"
    assert "年度跨境剩余额度" in client.get(f"/s/{slug}/cart").get_data(as_text=True)


def test_english_cart(client, tenants):
    products, slug = seed_store(tenants), tenants.a.tenant.slug
    add(client, slug, products["p100"])
    add(client, slug, products["p3000"])
    body = client.get(f"/s/{slug}/cart?lang=en").get_data(as_text=True)
    assert "Order limit: goods and freight of one order may not exceed ¥2000.00" in body


def test_another_stores_product_cannot_be_added(client, tenants):
    response = client.post(
        f"/s/{tenants.a.tenant.slug}/cart/items",
        data={"product_id": tenants.b.product.id, "quantity": 1},
    )
    assert response.status_code == 404


def test_a_bad_quantity_is_a_message_not_an_error(client, tenants):
    slug = tenants.a.tenant.slug
    response = client.post(
        f"/s/{slug}/cart/items",
        data={"product_id": tenants.a.product.id, "quantity": "lots"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "请选择 1 到 99 之间的数量" in response.get_data(as_text=True)


def test_product_page_shows_the_tax_estimate(client, tenants):
    a = tenants.a
    body = client.get(f"/s/{a.tenant.slug}/products/{a.product.id}").get_data(as_text=True)
    assert "单件预估税费：¥77.45" in body  # 800 at 5/6/7: the figure 13 example


def test_the_quote_counts_the_chosen_persons_use_this_year_in_every_store(client, tenants):
    products, a, b = seed_store(tenants), tenants.a, tenants.b
    login_shopper(client, a.tenant, a.shopper)
    add(client, a.tenant.slug, products["p100"])
    quote = f"/s/{a.tenant.slug}/cart/quote.json"
    before = D(client.get(quote).get_json()["annual_remaining"])
    now = utcnow()
    with system_context():
        person = a.identity.id_number_hash
        db.session.merge(QuotaPerson(person_hash=person))
        for store, year, amount in ((b, now.year, "1500.00"), (a, now.year - 1, "9000.00")):
            movement = QuotaMovement(
                person_hash=person,
                tenant_id=store.tenant.id,
                order_id=store.order.id,
                year=year,
                day=now.date().replace(year=year),
                annual_amount=D(amount),
                day_amount=D(amount),
                reason="reserve",
            )
            db.session.add(movement)
        db.session.flush()
    with tenant_context(a.tenant.id):
        other = factories.identity(a.shopper, factories.VALID_IDS[1])
    after = D(client.get(quote).get_json()["annual_remaining"])
    assert after == before - D("1500.00")  # this year's, in any store; last year's is over
    chosen = client.get(f"{quote}?identity_id={other.id}").get_json()
    assert D(chosen["annual_remaining"]) == before  # another person: their own use
