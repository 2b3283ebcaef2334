"""Helpers for the order half of the API tests: fill the shopper's cart, place it."""

import uuid

from tests.api.helpers import bearer, shopper_token


class ApiShopper:
    """A signed-in shopper of one store, speaking to the API through the test client."""

    def __init__(self, client, store, shopper=None) -> None:
        self.client, self.store = client, store
        self.base = f"/api/v1/stores/{store.tenant.slug}"
        self.auth = bearer(shopper_token(client, store.tenant, shopper or store.shopper))

    def get(self, path: str, **kwargs):
        return self.client.get(self.base + path, headers=self.auth, **kwargs)

    def post(self, path: str, json=None, headers: dict | None = None):
        return self.client.post(self.base + path, json=json, headers=self.auth | (headers or {}))

    def fill_cart(self, *lines: tuple[int, int]) -> dict:
        """Put (product id, quantity) lines in the shopper's cart; return its quote."""
        cart = self.post("/carts").get_json()
        for product_id, quantity in lines:
            response = self.post(
                f"/carts/{cart['id']}/items", {"product_id": product_id, "quantity": quantity}
            )
            assert response.status_code == 200, response.get_json()
        return self.get(f"/carts/{cart['id']}").get_json()["quote"]

    def place(self, total: str, key: str | None = None, identity=True, **changes):
        """Place the cart with the store's address (and identity), under an Idempotency-Key."""
        body = {"address_id": self.store.address.id, "expected_total": total}
        if identity:
            body["identity_id"] = self.store.identity.id
        body.update(changes)
        return self.post("/checkouts", body, headers={"Idempotency-Key": key or uuid.uuid4().hex})
