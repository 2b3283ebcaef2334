"""Helpers for API tests: bearer tokens and keys made through the real services."""

from storefront.services.api_access import KeyScope, create_key
from storefront.tenancy import tenant_context
from tests.support.factories import PASSWORD


def shopper_token(client, store, shopper) -> str:
    """Sign the shopper in through POST .../auth/token; return the bearer token."""
    response = client.post(
        f"/api/v1/stores/{store.slug}/auth/token",
        json={"email": shopper.email, "password": PASSWORD},
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()["token"]


def api_key(store, scope: str = "read") -> str:
    """Create an API key of the store; return its secret."""
    with tenant_context(store.id):
        return create_key(f"test {scope}", KeyScope(scope), None)[1]


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}
