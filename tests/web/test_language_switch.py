"""The language switch keeps every page working: it keeps the page's query arguments, and
every GET page answers in both languages without a server error.

Routes are discovered from the URL map, so a new page is covered the day it is added.
"""

import re
from html import unescape

import pytest

from storefront.tenancy import tenant_context
from tests.support import factories
from tests.web.helpers import login_operator, login_shopper, login_staff

OWN_IDS = {
    "product_id": lambda a: a.product.id,
    "supplier_id": lambda a: a.supplier.id,
    "template_id": lambda a: a.template.id,
    "address_id": lambda a: a.address.id,
    "identity_id": lambda a: a.identity.id,
    "order_id": lambda a: a.order.id,
    "checkout_id": lambda a: a.order.checkout_id,
    "payment_id": lambda a: a.payment.id,
    "endpoint_id": lambda a: factories.webhook_endpoint().id,
}
PLAIN_ARGUMENTS = {"fmt": "csv", "port": "payment"}
AREAS = {"shop.": "shopper", "console.": "staff", "platform.": "operator", "site.": None}


def _get_pages(app, a) -> list[str]:
    urls = []
    for rule in app.url_map.iter_rules():
        area = next((p for p in AREAS if rule.endpoint.startswith(p)), None)
        if area is None or "GET" not in rule.methods:
            continue
        values = {"store_slug": a.tenant.slug} if "store_slug" in rule.arguments else {}
        for argument in set(rule.arguments) - {"store_slug"}:
            maker = OWN_IDS.get(argument)
            with tenant_context(a.tenant.id):
                values[argument] = maker(a) if maker else PLAIN_ARGUMENTS[argument]
        with app.test_request_context():
            urls.append(app.url_for(rule.endpoint, **values))
    return urls


def _sign_in(client, tenants, url: str) -> None:
    a = tenants.a
    if url.startswith("/admin"):
        login_staff(client, a.owner)
    elif url.startswith("/platform"):
        login_operator(client, tenants.operator)
    elif url.startswith("/s/"):
        login_shopper(client, a.tenant, a.shopper)


def test_every_get_page_works_in_both_languages(app, session, tenants):
    pages = _get_pages(app, tenants.a)
    assert len(pages) > 30
    failures = []
    for url in pages:
        client = app.test_client()
        _sign_in(client, tenants, url)
        for lang in ("en", "zh_CN"):
            joiner = "&" if "?" in url else "?"
            status = client.get(f"{url}{joiner}lang={lang}").status_code
            if status >= 500:
                failures.append((url, lang, status))
    assert failures == []


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_language_link_keeps_the_query_arguments(client, tenants, lang):
    a = tenants.a
    login_shopper(client, a.tenant, a.shopper)
    url = f"/s/{a.tenant.slug}/cart?identity_id={a.identity.id}"
    page = client.get(f"{url}&lang={'zh_CN' if lang == 'en' else 'en'}").get_data(as_text=True)
    link = unescape(re.search(r'<a href="([^"]+)"[^>]*data-lang="' + lang, page).group(1))
    assert f"identity_id={a.identity.id}" in link and f"lang={lang}" in link
    assert link.count("lang=") == 1
    assert client.get(link).status_code == 200
