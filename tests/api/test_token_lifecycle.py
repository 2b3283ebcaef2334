"""A shopper token ends at its expiry, when it is revoked, and when the shopper signs out
everywhere or changes the password; a revoked API key stops at once."""

from datetime import timedelta

from sqlalchemy import select, update

from storefront.extensions import db
from storefront.models import Shopper
from storefront.models.api import ApiKey, ApiToken
from storefront.models.types import utcnow
from storefront.services.api_access import revoke_key, secret_hash
from storefront.tenancy import tenant_context
from tests.api.helpers import api_key, bearer, shopper_token
from tests.support.factories import PASSWORD


def _orders(client, store, secret: str) -> int:
    url = f"/api/v1/stores/{store.slug}/orders"
    return client.get(url, headers=bearer(secret)).status_code


def test_a_revoked_token_stops_and_leaves_the_shoppers_other_tokens(client, tenants):
    store, shopper = tenants.a.tenant, tenants.a.shopper
    phone, laptop = shopper_token(client, store, shopper), shopper_token(client, store, shopper)
    url = f"/api/v1/stores/{store.slug}/auth/token"
    assert client.delete(url, headers=bearer(phone)).status_code == 204
    assert _orders(client, store, phone) == 401
    assert _orders(client, store, laptop) == 200


def test_an_expired_token_is_refused(client, tenants):
    store = tenants.a.tenant
    token = shopper_token(client, store, tenants.a.shopper)
    assert _orders(client, store, token) == 200
    with tenant_context(store.id):
        db.session.execute(
            update(ApiToken)
            .where(ApiToken.token_hash == secret_hash(token))
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()
    assert _orders(client, store, token) == 401


def test_signing_out_everywhere_or_a_new_password_ends_every_token(client, tenants):
    store, shopper = tenants.a.tenant, tenants.a.shopper
    for end in (Shopper.end_sessions, lambda row: row.set_password("Another-pass-9")):
        token = shopper_token(client, store, shopper)
        assert _orders(client, store, token) == 200
        with tenant_context(store.id):
            end(_shopper(shopper.id))
            db.session.commit()
        assert _orders(client, store, token) == 401
        with tenant_context(store.id):  # the next round signs in with the factory's password
            _shopper(shopper.id).set_password(PASSWORD)
            db.session.commit()


def test_a_revoked_key_stops_at_once(client, tenants):
    store = tenants.a.tenant
    secret = api_key(store, "read")
    url = f"/api/v1/stores/{store.slug}/products"
    assert client.get(url, headers=bearer(secret)).status_code == 200
    with tenant_context(store.id):
        key_id = db.session.scalar(select(ApiKey.id).where(ApiKey.key_hash == secret_hash(secret)))
        revoke_key(key_id)
    refused = client.get(url, headers=bearer(secret))
    assert refused.status_code == 401
    assert refused.get_json()["error"]["code"] == "unauthorized"


def _shopper(shopper_id: int) -> Shopper:
    return db.session.scalars(select(Shopper).where(Shopper.id == shopper_id)).one()
