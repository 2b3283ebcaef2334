"""Hostile input on every route: never a 5xx, never a partial write, nothing huge reflected.

Routes come from the URL map, and each page is fetched first so that its forms (fields and
targets) and the query keys of its links are found by themselves: a new route, form field or
filter is covered the day it is added. A route argument with no known value fails the suite
until it is mapped below.
"""

from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from sqlalchemy import text
from werkzeug.routing import Rule

from storefront.tenancy import system_context
from tests.support.routes import route_values
from tests.web.helpers import login_operator, login_shopper, login_staff

HOSTILE = [
    "\x00",
    "ab\x00cd",
    "99999999999999999999",
    "-99999999999999999999",
    "sNaN",
    "NaN",
    "-Infinity",
    "1e309",
    "-1",
    "",
    "A" * 5000,
    "<script>alert(1)</script>",
    "' OR '1'='1",
    "/\t/evil.example/",
    "\r\nSet-Cookie: hijacked=1",
    "１１０１０５",
    "\u202e\ufeff",
]
HUGE = "9" * (1 << 20)  # once per route, in every field at once
# Query keys that collide with url_for's own arguments or the link builder's
COLLIDING_KEYS = ["endpoint", "fmt", "page", "_external", "_anchor", "_scheme", "_method", "next"]
# Tables that record refusals on purpose (failed sign-ins are counted)
WRITTEN_ON_REFUSAL = {"login_attempts"}
AREAS = {"shop.": "shopper", "site.": "shopper", "console.": "staff", "platform.": "operator"}


class _PageParser(HTMLParser):
    """The forms (method, action, fields with their values) and link query keys of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self.query_keys: dict[str, set] = {}

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        if tag == "form":
            method = (attrs.get("method") or "get").upper()
            self.forms.append({"method": method, "action": attrs.get("action"), "fields": {}})
        elif tag in ("input", "select", "textarea") and self.forms and attrs.get("name"):
            fields = self.forms[-1]["fields"]
            fields.setdefault(attrs["name"], attrs.get("value") or "")
        elif tag == "option" and self.forms and attrs.get("value"):
            for name, value in self.forms[-1]["fields"].items():
                if value == "":  # the first option of a select is its default
                    self.forms[-1]["fields"][name] = attrs["value"]
                    break
        elif tag == "a" and "?" in (attrs.get("href") or ""):
            link = urlsplit(attrs["href"])
            self.query_keys.setdefault(link.path, set()).update(parse_qs(link.query))


def _rules(app, area: str) -> list[Rule]:
    return [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        and (AREAS.get(rule.endpoint.split(".")[0] + ".") or "anonymous") == area
    ]


def _url(app, rule: Rule, a) -> str:
    with app.test_request_context():
        return app.url_for(rule.endpoint, **route_values(rule, a))


def _fingerprint(session) -> dict:
    with system_context():  # every tenant's rows, past row-level security
        return _table_digests(session)


def _table_digests(session) -> dict:
    tables = session.execute(
        text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
    ).scalars()
    names = [t for t in tables if t not in WRITTEN_ON_REFUSAL and t != "alembic_version"]
    union = " UNION ALL ".join(
        f"SELECT '{name}', md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
        f"FROM {name} t"
        for name in names
    )
    return dict(session.execute(text(union)).all())


class Sweep:
    def __init__(self, client, session, login) -> None:
        self.client, self.session, self.login = client, session, login
        self.checked = 0

    def send(self, method: str, url: str, data: dict | None = None):
        before = _fingerprint(self.session) if method == "POST" else None
        response = self.client.open(url, method=method, data=data)
        self.checked += 1
        shown = f"{method} {url[:200]} {str(data)[:300]}"
        assert response.status_code < 500, f"{response.status_code} on {shown}"
        assert len(response.headers.get("Location", "")) < 4096, f"reflected: {shown}"
        body = response.get_data(as_text=True) if response.status_code == 200 else ""
        refused = response.status_code >= 400 or 'class="error"' in body
        if before is not None and refused:
            assert _fingerprint(self.session) == before, f"partial write on {shown}"
        if url.endswith("/logout"):
            self.login()
        return response

    def page(self, url: str) -> _PageParser:
        parser = _PageParser()
        response = self.send("GET", url)
        if response.status_code == 200 and response.mimetype == "text/html":
            parser.feed(response.get_data(as_text=True))
        return parser

    def queries(self, url: str, keys: set) -> None:
        for value in [*HOSTILE, HUGE]:
            every = dict.fromkeys(keys | set(COLLIDING_KEYS), value)
            self.send("GET", f"{url}?{urlencode(every)}")
        for key in keys:
            for value in HOSTILE:
                self.send("GET", f"{url}?{urlencode({key: value})}")

    def posts(self, url: str, fields: dict) -> None:
        for value in [*HOSTILE, HUGE]:
            self.send("POST", url, dict.fromkeys(fields or ["anything"], value))
        for name in fields:
            for value in HOSTILE:
                self.send("POST", url, {**fields, name: value})


def _login(client, tenants, area: str):
    a = tenants.a
    return {
        "shopper": lambda: login_shopper(client, a.tenant, a.shopper),
        "staff": lambda: login_staff(client, a.owner),
        "operator": lambda: login_operator(client, tenants.operator),
        "anonymous": lambda: None,
    }[area]


@pytest.mark.parametrize("area", ["shopper", "staff", "operator", "anonymous"])
def test_hostile_values_in_every_field_and_query_never_break_a_route(
    app, client, session, tenants, area
):
    login = _login(client, tenants, area)
    login()
    sweep = Sweep(client, session, login)
    rules = sorted(_rules(app, area), key=lambda rule: rule.endpoint.endswith("logout"))
    assert rules
    forms: dict[str, dict] = {}
    query_keys: dict[str, set] = {}
    urls = [(rule, _url(app, rule, tenants.a)) for rule in rules]
    for rule, url in urls:  # first read every page: its forms and links
        if "GET" in rule.methods:
            page = sweep.page(url)
            for form in page.forms:
                target = urlsplit(form["action"] or url).path
                if form["method"] == "GET":
                    query_keys.setdefault(target, set()).update(form["fields"])
                else:
                    forms.setdefault(target, {}).update(form["fields"])
            for path, keys in page.query_keys.items():
                query_keys.setdefault(path, set()).update(keys)
    for rule, url in urls:
        if "GET" in rule.methods:
            sweep.queries(url, query_keys.get(url, set()))
        if "POST" in rule.methods:
            fields = {k: v for k, v in forms.get(url, {}).items() if k != "csrf_token"}
            sweep.posts(url, fields)
        for method in sorted(rule.methods & {"PATCH", "DELETE"}):  # the API's changes
            for value in HOSTILE:
                sweep.send(method, url, {"anything": value})
    assert sweep.checked > len(rules) * len(HOSTILE)
