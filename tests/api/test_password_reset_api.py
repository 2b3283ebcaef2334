"""POST .../auth/password-reset: the shop's reset link by e-mail, the same answer for everyone."""

from storefront.extensions import db
from tests.support.mail import last_link, sent_to

NEW = "a brand new api password"


def _ask(client, store, email: str):
    return client.post(f"/api/v1/stores/{store.slug}/auth/password-reset", json={"email": email})


def test_a_shopper_gets_a_link_that_sets_the_password(client, tenants):
    store, shopper = tenants.a.tenant, tenants.a.shopper
    response = _ask(client, store, shopper.email.upper())
    assert response.status_code == 202
    assert response.get_json() == {"status": "accepted"}
    assert len(sent_to(shopper.email)) == 1
    link = last_link(shopper.email)
    assert link.startswith(f"/s/{store.slug}/")
    reset = client.post(link, data={"password": NEW, "confirm": NEW})
    assert reset.status_code == 302
    db.session.expire_all()
    assert shopper.check_password(NEW)


def test_unknown_and_other_stores_addresses_get_the_same_answer_and_no_mail(client, tenants):
    known = _ask(client, tenants.a.tenant, tenants.a.shopper.email)
    for email in ("nobody@example.com", tenants.b.shopper.email):
        response = _ask(client, tenants.a.tenant, email)
        assert (response.status_code, response.get_data()) == (202, known.get_data())
    assert sent_to("nobody@example.com") == []
    assert sent_to(tenants.b.shopper.email) == []


def test_a_staff_address_is_not_a_shopper_here(client, tenants):
    assert _ask(client, tenants.a.tenant, tenants.a.owner.email).status_code == 202
    assert sent_to(tenants.a.owner.email) == []


def test_the_address_must_be_an_email(client, tenants):
    response = _ask(client, tenants.a.tenant, "not-an-address")
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"email"}
