"""Fixed-window rate limits per API key, per shopper token, and per address for anonymous calls.

With REDIS_URL the counters live in Redis (INCR of one key per caller and window, expiring
with it), shared by every worker; without it they live in this process. The limits are in
the configuration (storefront/config.py, API_RATE_LIMIT_*).
"""

import logging
import threading
import time
from collections import defaultdict

import redis
from flask import Flask, current_app
from flask_babel import gettext as _

from storefront.api.auth import Credential
from storefront.api.errors import ApiCode, ApiError

logger = logging.getLogger(__name__)
_LIMIT_KEYS = {
    "key": "API_RATE_LIMIT_PER_KEY",
    "shopper": "API_RATE_LIMIT_PER_TOKEN",
    "anonymous": "API_RATE_LIMIT_PER_ADDRESS",
}


class LocalCounters:
    """Counters of this process: {(identity, window): count}, older windows dropped."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[tuple[str, int], int] = defaultdict(int)

    def hit(self, identity: str, window: int, seconds: int) -> int:
        with self._lock:
            for stale in [key for key in self._counts if key[1] < window]:
                del self._counts[stale]
            self._counts[(identity, window)] += 1
            return self._counts[(identity, window)]


class RedisCounters:
    """Counters shared by every worker through Redis."""

    def __init__(self, url: str) -> None:
        self._redis = redis.Redis.from_url(url, socket_timeout=1)

    def hit(self, identity: str, window: int, seconds: int) -> int:
        key = f"kuajing:api-rate:{identity}:{window}"
        pipeline = self._redis.pipeline()
        pipeline.incr(key)
        pipeline.expire(key, seconds * 2)
        count, _expiry = pipeline.execute()
        return int(count)


def init_app(app: Flask) -> None:
    url = app.config.get("REDIS_URL")
    app.extensions["api_rate_counters"] = RedisCounters(url) if url else LocalCounters()


def check_rate(credential: Credential) -> None:
    """Count this call against its caller's window; refuse it with 429 past the limit."""
    config = current_app.config
    seconds = config["API_RATE_LIMIT_WINDOW_SECONDS"]
    limit = config[_LIMIT_KEYS[credential.kind]]
    now = time.time()
    window = int(now // seconds)
    try:
        count = current_app.extensions["api_rate_counters"].hit(
            credential.identity, window, seconds
        )
    except redis.RedisError:
        # Counting is a guard, not the service: a Redis outage must not stop the store.
        logger.warning("API rate counters unavailable; call not counted", exc_info=True)
        return
    if count > limit:
        retry_after = max(1, int((window + 1) * seconds - now + 0.999))
        raise ApiError(
            429,
            ApiCode.RATE_LIMITED,
            _("Too many requests. Please wait a moment."),
            headers={"Retry-After": str(retry_after)},
        )
