"""The store home's pages: each row read with the total in one statement, the pager intact."""

import re

from sqlalchemy import func, select

from storefront.extensions import db
from storefront.models import Product
from storefront.tenancy import tenant_context
from tests.support import factories


def _names(html: str) -> list[str]:
    return re.findall(r"Product \d+", html)


def test_home_pages_show_every_product_once_with_the_store_s_own_total(app, client, tenants):
    a, b = tenants.a, tenants.b
    with tenant_context(b.tenant.id):  # the other store's products are neither shown nor counted
        for _ in range(30):
            factories.product(b.supplier, "9.00")
    with tenant_context(a.tenant.id):
        for _ in range(24):  # with the fixture's own: two pages of 20
            factories.product(a.supplier, "9.00")
        expected = db.session.scalar(
            select(func.count()).select_from(Product).where(Product.active)
        )
    assert 20 < expected <= 40
    home = f"/s/{a.tenant.slug}/?lang=en"
    first = client.get(home).get_data(as_text=True)
    second = client.get(home + "&page=2").get_data(as_text=True)
    past = client.get(home + "&page=3")
    assert "Page 1 of 2" in first and "page=2" in first and "page=0" not in first
    assert "Page 2 of 2" in second and "page=1" in second and "page=3" not in second
    shown = _names(first) + _names(second)
    assert len(shown) == len(set(shown)) == expected
    assert past.status_code == 200 and "Page 3 of 2" in past.get_data(as_text=True)
    assert _names(past.get_data(as_text=True)) == []


def test_a_store_without_products_has_no_pager(client, tenants):
    store = factories.tenant("empty")
    html = client.get(f"/s/{store.slug}/?lang=en").get_data(as_text=True)
    assert "Page 1" not in html


def test_tax_badges_follow_the_language_of_each_request(client, tenants):
    a = tenants.a
    with tenant_context(a.tenant.id):
        factories.product(a.supplier, "9.00", a.template, "cross_border_retail")
    home = f"/s/{a.tenant.slug}/"
    for language, words, other in [
        ("zh_CN", "跨境零售", "Cross-border retail"),
        ("en", "Cross-border retail", "跨境零售"),
        ("zh_CN", "跨境零售", "Cross-border retail"),
    ]:
        html = client.get(f"{home}?lang={language}").get_data(as_text=True)
        assert words in html and other not in html, language
