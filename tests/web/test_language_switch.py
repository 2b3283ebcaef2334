"""The language switch keeps every page working: it keeps the page's query arguments, and
every GET page answers in both languages without a server error.

Routes are discovered from the URL map, so a new page is covered the day it is added.
"""

import re
from html import unescape

import pytest

from tests.support.routes import route_values
from tests.web.helpers import login_operator, login_shopper, login_staff

AREAS = {"shop.": "shopper", "console.": "staff", "platform.": "operator", "site.": None}


def _get_pages(app, a) -> list[str]:
    urls = []
    for rule in app.url_map.iter_rules():
        area = next((p for p in AREAS if rule.endpoint.startswith(p)), None)
        if area is None or "GET" not in rule.methods:
            continue
        with app.test_request_context():
            urls.append(app.url_for(rule.endpoint, **route_values(rule, a)))
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
