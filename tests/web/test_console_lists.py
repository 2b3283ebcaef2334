"""Smaller things shoppers and merchants read: the mixing message lists its lines, exports
use the store's time zone and say so, a bad filter date is reported, messages have times."""

from datetime import UTC, datetime

from storefront.services.notifications import notify
from storefront.tenancy import tenant_context
from tests.web.helpers import login_shopper, login_staff


def test_the_checkout_names_the_lines_that_cannot_be_bought_together(client, tenants):
    a = tenants.a
    login_shopper(client, a.tenant, a.shopper)
    for product in (a.product, a.non_tax_product):
        item = {"product_id": product.id, "quantity": 1}
        client.post(f"/s/{a.tenant.slug}/cart/items", data=item)
    page = client.get(f"/s/{a.tenant.slug}/checkout").get_data(as_text=True)
    problem = page[page.index('class="alert alert-error mix-problem"') :]
    problem = problem[: problem.index("</div>")]
    assert f"<li>{a.non_tax_product.name}</li>" in problem  # the lines to remove


def test_exports_use_the_store_time_zone_and_name_it(client, session, tenants):
    a = tenants.a
    with tenant_context(a.tenant.id):
        a.order.placed_at = datetime(2026, 11, 22, 20, 30, tzinfo=UTC)
        session.flush()
    login_staff(client, a.owner)
    csv = client.get("/admin/orders/export.csv").get_data(as_text=True)
    assert "下单时间（Asia/Shanghai）" in csv.splitlines()[0]
    assert "2026-11-23T04:30:00+08:00" in csv


def test_an_invalid_filter_date_is_reported(client, tenants):
    login_staff(client, tenants.a.owner)
    page = client.get("/admin/orders?from=2026-13-40").get_data(as_text=True)
    assert "2026-13-40" in page and "不是有效日期" in page
    assert client.get("/admin/orders/export.csv?to=yesterday").status_code == 400


def test_messages_show_when_they_arrived(client, tenants):
    a = tenants.a
    with tenant_context(a.tenant.id):
        notify(a.shopper.id, "test:1", "shipped", {"order_id": a.order.id, "number": "X"})
    login_shopper(client, a.tenant, a.shopper)
    page = client.get(f"/s/{a.tenant.slug}/notifications").get_data(as_text=True)
    assert "<time" in page
