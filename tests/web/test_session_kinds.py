"""Each area accepts only its own kind of session: every route, every wrong kind of account.

The storefront of store A accepts only A's shoppers, the merchant console only staff, the
platform console only operators. Routes are found from the URL map (a new route is swept
the day it is added), filled with store A's own ids; signed in as each wrong kind, every
request must get the anonymous visitor's answer (so no 5xx and no page of protected data)
and change nothing in the database.
"""

import pytest
from sqlalchemy import text

from storefront.extensions import db
from storefront.tenancy import system_context
from tests.support.applications import applicant, login_applicant
from tests.web.helpers import login_operator, login_shopper, login_staff
from tests.web.test_isolation import _url

WRONG_KINDS = {
    "shop.": ("staff_a", "staff_b", "operator", "shopper_b", "applicant"),
    "console.": ("shopper_a", "operator", "applicant"),
    "platform.": ("shopper_a", "staff_a", "applicant"),
    "join.": ("shopper_a", "staff_a", "operator"),
}
SIGN_IN = {
    "staff_a": lambda client, t: login_staff(client, t.a.owner),
    "staff_b": lambda client, t: login_staff(client, t.b.owner),
    "operator": lambda client, t: login_operator(client, t.operator),
    "shopper_a": lambda client, t: login_shopper(client, t.a.tenant, t.a.shopper),
    "shopper_b": lambda client, t: login_shopper(client, t.b.tenant, t.b.shopper),
    "applicant": lambda client, t: login_applicant(client, applicant()),
}


def _requests(app, area: str, store) -> list[tuple[str, str]]:
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith(area)]
    return [
        (method, _url(app, rule, store, store.tenant.slug))
        for rule in rules
        for method in sorted(rule.methods & {"GET", "POST"})
    ]


def _state() -> tuple:
    """Row counts of every table, every order's status and every account's session version."""
    tables = sorted(db.metadata.tables)
    counts = ", ".join(f"(SELECT count(*) FROM {table})" for table in tables)
    details = ", ".join(
        [
            "(SELECT string_agg(id || ':' || status, ',' ORDER BY id) FROM orders)",
            *(
                f"(SELECT sum(session_version) FROM {table})"
                for table in ("shoppers", "staff_users", "platform_operators")
            ),
        ]
    )
    with system_context():
        return tuple(db.session.execute(text(f"SELECT {counts}, {details}")).one())


def _private_texts(tenants) -> list[str]:
    a = tenants.a
    return [a.shopper.email, a.order.number, a.address.detail, a.owner.email, a.identity.phone]


# Parts of the site where nobody signs in; a new blueprint fails the suite until it is
# listed here or given an account kind (storefront.security.AREA_KINDS) and swept above.
# The API ("api") reads no cookie at all, only bearer credentials: every kind of session is
# nobody there (tests/api/test_framework.py::test_no_kind_of_session_cookie_is_a_credential).
NO_ACCOUNTS = {"site", "webhooks", "static", "api"}


def test_the_sweep_sees_every_area(app):
    for area in WRONG_KINDS:
        assert any(rule.endpoint.startswith(area) for rule in app.url_map.iter_rules())
    areas = {rule.endpoint.partition(".")[0] + "." for rule in app.url_map.iter_rules()}
    assert areas - {f"{name}." for name in NO_ACCOUNTS} == set(WRONG_KINDS)


@pytest.mark.parametrize(
    ("area", "kind"), [(area, kind) for area, kinds in WRONG_KINDS.items() for kind in kinds]
)
def test_a_wrong_kind_of_session_is_nobody_in_the_area(app, client, tenants, area, kind):
    SIGN_IN[kind](client, tenants)
    cookie = client.get_cookie("session").value
    anonymous = app.test_client()
    swept = []
    for method, url in _requests(app, area, tenants.a):
        expected = anonymous.open(url, method=method, data={})
        anonymous.delete_cookie("session")
        client.set_cookie("session", cookie)
        before = _state()
        response = client.open(url, method=method, data={})
        assert _state() == before, f"{kind}: {method} {url} changed the database"
        seen = (response.status_code, response.headers.get("Location"))
        assert seen == (expected.status_code, expected.headers.get("Location")), (
            f"{kind}: {method} {url} gave {seen}, anonymous {expected.status_code}"
        )
        body = response.get_data(as_text=True)
        assert not [t for t in _private_texts(tenants) if t in body], f"{kind}: {method} {url}"
        swept.append(url)
    assert swept
