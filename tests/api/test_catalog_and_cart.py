"""The API's catalog pages and cart quote against the shop's own: the same rules, one answer."""

from sqlalchemy import select

from storefront.extensions import db
from storefront.models import Product
from storefront.tenancy import tenant_context
from tests.api.helpers import bearer, shopper_token
from tests.support import factories
from tests.web.helpers import login_shopper


def _api_quote(client, slug: str, lines: dict[int, int], headers=None, query="") -> dict:
    cart = client.post(f"/api/v1/stores/{slug}/carts", headers=headers).get_json()
    for product_id, quantity in lines.items():
        added = client.post(
            f"/api/v1/stores/{slug}/carts/{cart['id']}/items",
            json={"product_id": product_id, "quantity": quantity},
            headers=headers,
        )
        assert added.status_code == 200, added.get_data(as_text=True)
    response = client.get(f"/api/v1/stores/{slug}/carts/{cart['id']}/quote{query}", headers=headers)
    assert response.status_code == 200
    return response.get_json()


def _shop_quote(client, slug: str, lines: dict[int, int], query="") -> dict:
    for product_id, quantity in lines.items():
        form = {"product_id": product_id, "quantity": quantity}
        assert client.post(f"/s/{slug}/cart/items", data=form).status_code == 302
    return client.get(f"/s/{slug}/cart/quote.json{query}").get_json()


def test_the_api_quote_is_the_shops_quote_for_the_same_cart(app, client, tenants):
    store = tenants.a
    lines = {store.product.id: 2, store.non_tax_product.id: 1}  # a mix problem too
    api = _api_quote(client, store.tenant.slug, lines)
    shop = _shop_quote(app.test_client(), store.tenant.slug, lines)
    assert api == shop
    assert api["problems"] and api["orders"]


def test_with_a_buyer_identity_the_quotes_agree_on_the_remaining_quota(app, client, tenants):
    store = tenants.a
    lines, query = {store.product.id: 1}, f"?identity_id={store.identity.id}"
    headers = bearer(shopper_token(client, store.tenant, store.shopper))
    api = _api_quote(client, store.tenant.slug, lines, headers, query)
    browser = app.test_client()
    login_shopper(browser, store.tenant, store.shopper)
    shop = _shop_quote(browser, store.tenant.slug, lines, query)
    assert api == shop
    assert api["annual_remaining"] is not None


def _walk(client, slug: str, limit: int, before_next_page=None) -> list[int]:
    seen, cursor = [], None
    while True:
        query = f"?limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(f"/api/v1/stores/{slug}/products{query}").get_json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return seen
        if before_next_page:
            before_next_page()


def test_cursor_pages_walk_every_product_exactly_once_newest_first(client, tenants):
    store = tenants.a
    with tenant_context(store.tenant.id):
        for _ in range(7):
            factories.product(store.supplier, "12.00")
        factories.product(store.supplier, "13.00", active=False)
        expected = db.session.scalars(
            select(Product.id).where(Product.active).order_by(Product.id.desc())
        ).all()
    added = []

    def add_product():  # rows added while walking never repeat or shift a page
        with tenant_context(store.tenant.id):
            added.append(factories.product(store.supplier, "14.00").id)

    for limit in (1, 2, 3, len(expected), 100):
        assert _walk(client, store.tenant.slug, limit) == expected
    assert _walk(client, store.tenant.slug, 2, add_product) == expected
    assert added and not set(added) & set(expected)


def test_a_forged_cursor_is_a_coded_400(client, tenants):
    slug = tenants.a.tenant.slug
    first = client.get(f"/api/v1/stores/{slug}/products?limit=1").get_json()
    forged = first["next_cursor"][:-2] + ("AA" if not first["next_cursor"].endswith("AA") else "BB")
    response = client.get(f"/api/v1/stores/{slug}/products?cursor={forged}")
    assert response.status_code == 400
    assert set(response.get_json()["error"]["fields"]) == {"cursor"}
