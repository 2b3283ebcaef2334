"""Helpers for web tests: sign in through the real forms."""

from tests.support.factories import PASSWORD


def login_staff(client, user) -> None:
    response = client.post("/admin/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)


def login_shopper(client, store, shopper) -> None:
    response = client.post(
        f"/s/{store.slug}/login", data={"email": shopper.email, "password": PASSWORD}
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def login_operator(client, operator) -> None:
    response = client.post("/platform/login", data={"email": operator.email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
