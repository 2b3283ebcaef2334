"""Rate limits per key, per shopper token and per address: 429 with Retry-After past the
limit, counted in this process without Redis, shared through Redis with it."""

from types import SimpleNamespace

import pytest
import redis

from storefront.api import rate_limits
from storefront.api.rate_limits import LocalCounters, RedisCounters
from tests.api.helpers import api_key, bearer, shopper_token

WINDOW = 60
NOW = 1000 * WINDOW + 15.2  # a fixed clock: no window ends between a test's calls


@pytest.fixture
def limits(app, monkeypatch):
    """Small limits on fresh counters (other tests' calls must not count here)."""
    for name in (
        "API_RATE_LIMIT_PER_KEY",
        "API_RATE_LIMIT_PER_TOKEN",
        "API_RATE_LIMIT_PER_ADDRESS",
    ):
        monkeypatch.setitem(app.config, name, 3)
    monkeypatch.setitem(app.config, "API_RATE_LIMIT_WINDOW_SECONDS", WINDOW)
    monkeypatch.setattr(rate_limits, "time", SimpleNamespace(time=lambda: NOW))

    def use(counters) -> None:
        monkeypatch.setitem(app.extensions, "api_rate_counters", counters)

    use(LocalCounters())
    return use


@pytest.fixture
def shared_redis(redis_url):
    connection = redis.Redis.from_url(redis_url)
    for key in connection.scan_iter("kuajing:api-rate:*"):
        connection.delete(key)
    yield redis_url
    for key in connection.scan_iter("kuajing:api-rate:*"):
        connection.delete(key)
    connection.close()


def _statuses(client, url: str, headers: dict, count: int) -> list:
    return [client.get(url, headers=headers) for _ in range(count)]


def _assert_limited(responses) -> None:
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    refused = responses[-1]
    assert refused.get_json()["error"]["code"] == "rate_limited"
    assert refused.headers["Retry-After"] == "45"  # the rest of the window, rounded up


def test_each_kind_of_caller_is_limited_on_its_own(client, tenants, limits):
    store = tenants.a.tenant
    url = f"/api/v1/stores/{store.slug}/products"
    key, other_key = bearer(api_key(store)), bearer(api_key(store))
    token = bearer(shopper_token(client, store, tenants.a.shopper))
    limits(LocalCounters())  # signing in counted against the address: start again
    for headers in (key, token, {}):
        _assert_limited(_statuses(client, url, headers, 4))
    assert client.get(url, headers=other_key).status_code == 200  # another key, its own count


def test_with_redis_every_process_shares_the_count(client, tenants, limits, shared_redis):
    store = tenants.a.tenant
    url, key = f"/api/v1/stores/{store.slug}", bearer(api_key(store))
    limits(RedisCounters(shared_redis))  # one worker
    first = _statuses(client, url, key, 2)
    limits(RedisCounters(shared_redis))  # another worker, its own connection
    _assert_limited(first + _statuses(client, url, key, 2))


def test_a_redis_outage_does_not_stop_the_store(client, tenants, limits):
    limits(RedisCounters("redis://127.0.0.1:9/0"))  # nothing listens there
    url = f"/api/v1/stores/{tenants.a.tenant.slug}"
    assert [r.status_code for r in _statuses(client, url, {}, 5)] == [200] * 5
