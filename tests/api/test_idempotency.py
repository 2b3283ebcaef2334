"""Idempotency-Key on POSTs that create something: a retry replays, another body is refused,
and of concurrent requests with one key exactly one runs (real PostgreSQL connections)."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from storefront.extensions import db
from storefront.models.api import ApiCart, IdempotencyRecord
from storefront.models.types import utcnow
from storefront.services.api_access import KeyScope, create_key
from storefront.services.idempotency import ABANDONED_AFTER, KEPT_FOR, purge_expired
from storefront.tenancy import tenant_context
from tests.api.helpers import api_key, bearer
from tests.support import factories
from tests.support.race import all_at_once, race_app

THREADS = 8


def _carts(tenant_id: int) -> int:
    with tenant_context(tenant_id):
        return db.session.scalar(select(func.count()).select_from(ApiCart))


def test_a_retry_with_the_same_key_replays_the_first_answer(client, tenants):
    store = tenants.a.tenant
    headers = {**bearer(api_key(store, "write")), "Idempotency-Key": "order-42"}
    before = _carts(store.id)
    first = client.post(f"/api/v1/stores/{store.slug}/carts", headers=headers)
    again = client.post(f"/api/v1/stores/{store.slug}/carts", headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert _carts(store.id) == before + 1


def test_the_same_key_with_another_body_is_refused_and_runs_nothing(client, tenants):
    store = tenants.a
    write = bearer(api_key(store.tenant, "write"))
    cart = client.post(f"/api/v1/stores/{store.tenant.slug}/carts", headers=write).get_json()
    url = f"/api/v1/stores/{store.tenant.slug}/carts/{cart['id']}/items"
    headers = {**write, "Idempotency-Key": "line-1"}
    line = {"product_id": store.non_tax_product.id, "quantity": 1}
    assert client.post(url, json=line, headers=headers).status_code == 200
    changed = client.post(url, json={**line, "quantity": 3}, headers=headers)
    assert changed.status_code == 422
    assert changed.get_json()["error"]["code"] == "idempotency_key_reused"
    items = client.get(f"/api/v1/stores/{store.tenant.slug}/carts/{cart['id']}", headers=write)
    assert items.get_json()["items"] == [line]


def test_keys_belong_to_one_caller(client, tenants):
    store = tenants.a.tenant
    url = f"/api/v1/stores/{store.slug}/carts"
    one = client.post(url, headers={**bearer(api_key(store, "write")), "Idempotency-Key": "k"})
    two = client.post(url, headers={**bearer(api_key(store, "write")), "Idempotency-Key": "k"})
    assert one.get_json()["id"] != two.get_json()["id"]


def test_anonymous_callers_behind_one_address_never_share_an_answer(client, tenants):
    store = tenants.a.tenant
    headers = {"Idempotency-Key": "cart-1"}  # two shoppers behind one carrier address
    first = client.post(f"/api/v1/stores/{store.slug}/carts", headers=headers)
    second = client.post(f"/api/v1/stores/{store.slug}/carts", headers=headers)
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.get_json()["id"] != second.get_json()["id"]
    assert "Idempotent-Replayed" not in second.headers


def test_a_key_that_is_not_visible_ascii_is_refused(client, tenants):
    store = tenants.a.tenant
    headers = {**bearer(api_key(store, "write")), "Idempotency-Key": "has space"}
    response = client.post(f"/api/v1/stores/{store.slug}/carts", headers=headers)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.get_json()["error"]["fields"]


@pytest.fixture
def racing(database_url, app):
    with race_app(database_url, THREADS) as racing_app:
        yield racing_app


def test_concurrent_requests_with_one_key_run_the_use_case_once(racing):
    with racing.app_context():
        tenant = factories.tenant()
        with tenant_context(tenant.id):
            secret = create_key("racer", KeyScope.WRITE, None)[1]
        slug, tenant_id = tenant.slug, tenant.id
        db.session.commit()
        db.session.remove()
    headers = {**bearer(secret), "Idempotency-Key": "same-for-all"}

    def post(_index, barrier):
        client = racing.test_client()
        barrier.wait()
        response = client.post(f"/api/v1/stores/{slug}/carts", headers=headers)
        return response.status_code, response.get_json()

    answers = all_at_once(THREADS, post)
    with racing.app_context():
        assert _carts(tenant_id) == 1
        db.session.remove()
    created = {body["id"] for status, body in answers if status == 201}
    assert len(created) == 1  # the runner's answer, and replays of it
    refused = [body["error"]["code"] for status, body in answers if status != 201]
    assert set(refused) <= {"idempotency_in_progress"}
    assert all(status in (201, 409) for status, _body in answers)


def _back_in_flight(tenant_id: int, key: str, age: timedelta) -> None:
    """Make the key's claim look as a killed worker leaves it: no answer, claimed `age` ago."""
    with tenant_context(tenant_id):
        db.session.execute(
            update(IdempotencyRecord)
            .where(IdempotencyRecord.key == key)
            .values(status=None, body=None, created_at=utcnow() - age)
        )
        db.session.commit()


def test_a_claim_abandoned_in_flight_is_taken_over_by_the_retry(client, tenants):
    # a worker killed between the claim and the answer leaves the claim in flight for good
    store = tenants.a.tenant
    headers = {**bearer(api_key(store, "write")), "Idempotency-Key": "crashed-1"}
    url = f"/api/v1/stores/{store.slug}/carts"
    assert client.post(url, headers=headers).status_code == 201
    _back_in_flight(store.id, "crashed-1", timedelta(seconds=5))
    waiting = client.post(url, headers=headers)
    assert waiting.status_code == 409
    assert waiting.get_json()["error"]["code"] == "idempotency_in_progress"
    _back_in_flight(store.id, "crashed-1", ABANDONED_AFTER + timedelta(seconds=5))
    retried = client.post(url, headers=headers)
    assert retried.status_code == 201
    assert "Idempotent-Replayed" not in retried.headers
    replayed = client.post(url, headers=headers)
    assert replayed.get_json() == retried.get_json()
    assert replayed.headers["Idempotent-Replayed"] == "true"


def test_the_sweep_forgets_keys_older_than_a_day_in_each_store_only(client, tenants):
    stores = (tenants.a.tenant, tenants.b.tenant)
    for store in stores:
        headers = {**bearer(api_key(store, "write")), "Idempotency-Key": "old"}
        assert client.post(f"/api/v1/stores/{store.slug}/carts", headers=headers).status_code == 201
        headers["Idempotency-Key"] = "young"
        assert client.post(f"/api/v1/stores/{store.slug}/carts", headers=headers).status_code == 201
    for store in stores:  # both stores hold a key past its day
        with tenant_context(store.id):
            db.session.execute(
                update(IdempotencyRecord)
                .where(IdempotencyRecord.key == "old")
                .values(created_at=utcnow() - KEPT_FOR - timedelta(minutes=1))
            )
            db.session.commit()
    with tenant_context(stores[0].id):  # store A's sweep
        assert purge_expired(utcnow()) == 1
        assert db.session.scalars(select(IdempotencyRecord.key)).all() == ["young"]
    with tenant_context(stores[1].id):
        assert sorted(db.session.scalars(select(IdempotencyRecord.key))) == ["old", "young"]
