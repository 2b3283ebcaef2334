"""Reviews show where shoppers look: the product page (average, count, list) and the order,
where the form gives way to the review once written."""

from decimal import Decimal

from storefront.domain.ratings import average_rating, reviewer_name
from storefront.tenancy import tenant_context
from tests.web.helpers import login_shopper


def test_average_rating_is_rounded_half_up_to_one_decimal():
    assert average_rating([]) is None
    assert average_rating([5, 4]) == Decimal("4.5")
    assert average_rating([5, 5, 4]) == Decimal("4.7")
    assert reviewer_name("张三") == "张**"


def test_a_review_shows_on_the_product_and_replaces_the_form_on_the_order(client, session, tenants):
    a = tenants.a
    with tenant_context(a.tenant.id):
        a.order.status = "received"
        session.flush()
    login_shopper(client, a.tenant, a.shopper)
    order_url = f"/s/{a.tenant.slug}/orders/{a.order.id}"
    product_url = f"/s/{a.tenant.slug}/products/{a.product.id}"
    assert "review-form" in client.get(order_url).get_data(as_text=True)
    assert "暂无评价" in client.get(product_url).get_data(as_text=True)
    line_id = a.order.lines[0].id
    posted = client.post(
        f"{order_url}/review", data={"line_id": line_id, "rating": "4", "body": "很好用"}
    )
    assert posted.status_code == 302
    order_page = client.get(order_url).get_data(as_text=True)
    assert "review-form" not in order_page and "很好用" in order_page and "★★★★☆" in order_page
    product_page = client.get(product_url).get_data(as_text=True)
    assert '<strong class="rating-average">4.0</strong>' in product_page
    assert "1 条评价" in product_page and "很好用" in product_page and "张**" in product_page
