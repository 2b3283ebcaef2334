"""The JSON API's catalog and cart quote beside a bare Flask JSON endpoint, in the same run.

    .venv/bin/python -m benchmarks.api_throughput [--seconds 3]

Production shape: gunicorn (2 workers x 4 threads) with Redis (rate counters shared by the
workers), on PostgreSQL, all on 127.0.0.1. Eight clients sign in through the API (a shopper
token each) and fill their server-side cart before the clock starts; then each asks in a
loop, on one keep-alive connection, for:

1. the catalog: GET .../products?limit=20 (20 tax products, each with its badge and estimate);
2. the cart quote: GET .../carts/{id}/quote (two lines, one order, the buyer's quota);
3. the reference: a bare Flask JSON endpoint (benchmarks/bare_app.py) on the same gunicorn
   settings, no database.

Three interleaved repetitions, medians; statements per request are counted by the server
(pg_stat_statements). The rate limits are raised for the run (each call is still counted in
Redis): the figure is the API's cost, not the limit's.
"""

import argparse
import http.client
import json
import statistics
import threading
import time

from benchmarks._setup import (
    StatementCounter,
    gunicorn,
    interleaved,
    machine,
    migrated_app,
)
from storefront.extensions import db
from storefront.tenancy import tenant_context
from tests.support import factories
from tests.support.servers import redis_server

CLIENTS = 8
PRODUCTS = 20
UNLIMITED = 10**9
# The product's WSGI app as wsgi.py builds it, with rate limits no run of this length reaches.
PRODUCT_APP = (
    "storefront:create_app({"
    f"'API_RATE_LIMIT_PER_KEY': {UNLIMITED}, 'API_RATE_LIMIT_PER_TOKEN': {UNLIMITED}, "
    f"'API_RATE_LIMIT_PER_ADDRESS': {UNLIMITED}"
    "})"
)


def build_store(app) -> dict:
    """One store: 20 tax products and a shopper (with a buyer identity) per client."""
    with app.app_context():
        db.session().expire_on_commit = False
        tenant = factories.tenant("bench")
        with tenant_context(tenant.id):
            supplier, template = factories.supplier(), factories.template()
            products = [
                factories.product(supplier, "25.00", template, "cross_border_retail").id
                for _ in range(PRODUCTS)
            ]
            shoppers = []
            for n in range(CLIENTS):
                shopper = factories.shopper()
                identity = factories.identity(shopper, factories.resident_id(n))
                shoppers.append((shopper.email, identity.id))
        db.session.commit()
        return {"slug": tenant.slug, "products": products, "shoppers": shoppers}


class Client:
    """One keep-alive connection, with a bearer token once signed in."""

    def __init__(self, base: str) -> None:
        host, port = base.removeprefix("http://").split(":")
        self.connection = http.client.HTTPConnection(host, int(port))
        self.headers = {"Accept-Language": "zh-CN"}

    def call(self, method: str, path: str, body: dict | None = None) -> dict:
        headers = dict(self.headers)
        if body is not None:
            headers["Content-Type"] = "application/json"
        payload = json.dumps(body) if body is not None else None
        try:
            self.connection.request(method, path, body=payload, headers=headers)
            response = self.connection.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # the server closed the idle keep-alive connection between phases: open another
            self.connection.close()
            self.connection.request(method, path, body=payload, headers=headers)
            response = self.connection.getresponse()
        text = response.read()
        if response.status >= 400:
            raise RuntimeError(f"{method} {path}: {response.status} {text[:300]!r}")
        return json.loads(text)


def signed_in_clients(base: str, store: dict) -> list[tuple[Client, str]]:
    """Each shopper signs in and fills its cart (before the clock); (client, quote path)."""
    api, clients = f"/api/v1/stores/{store['slug']}", []
    for email, identity_id in store["shoppers"]:
        client = Client(base)
        token = client.call(
            "POST", f"{api}/auth/token", {"email": email, "password": factories.PASSWORD}
        )["token"]
        client.headers["Authorization"] = f"Bearer {token}"
        cart = client.call("POST", f"{api}/carts")["id"]
        for product_id in store["products"][:2]:
            line = {"product_id": product_id, "quantity": 1}
            client.call("POST", f"{api}/carts/{cart}/items", line)
        clients.append((client, f"{api}/carts/{cart}/quote?identity_id={identity_id}"))
    return clients


def http_rate(clients: list[Client], paths: list[str], seconds: float) -> float:
    """Requests per second, client i asking for paths[i] in a loop for `seconds`."""
    count, stop = [0] * len(clients), time.perf_counter() + seconds

    def ask(index: int) -> None:
        while time.perf_counter() < stop:
            clients[index].call("GET", paths[index])
            count[index] += 1

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(count) / seconds


def figures(url: str, redis_url: str, store: dict, seconds: float) -> None:
    """Print the catalog and the quote beside the bare endpoint, with statements per request."""
    counter = StatementCounter(url)
    with (
        gunicorn(url, env={"REDIS_URL": redis_url}, app=PRODUCT_APP) as base,
        gunicorn(url, app="benchmarks.bare_app:app") as bare_base,
    ):
        signed_in = signed_in_clients(base, store)
        clients = [client for client, _quote in signed_in]
        bare = [Client(bare_base) for _ in range(CLIENTS)]
        paths = {
            f"API catalog ({PRODUCTS} products)": [
                f"/api/v1/stores/{store['slug']}/products?limit={PRODUCTS}"
            ]
            * CLIENTS,
            "API cart quote": [quote for _client, quote in signed_in],
        }
        counted = {name: {"statements": 0, "requests": 0.0} for name in paths}

        def phase(name: str):
            def run() -> float:
                result = {}
                with counter.measure(result):
                    rate = http_rate(clients, paths[name], seconds)
                counted[name]["statements"] += result["statements"]
                counted[name]["requests"] += rate * seconds
                return rate

            return run

        phases = {"bare": lambda: http_rate(bare, ["/"] * CLIENTS, seconds)}
        phases.update({name: phase(name) for name in paths})
        results = interleaved(phases)
        for client in clients + bare:
            client.connection.close()
    reference = statistics.median(results["bare"])
    for name in paths:
        rate, counts = statistics.median(results[name]), counted[name]
        print(
            f"{name}: {rate:,.0f} requests/s · bare Flask JSON: {reference:,.0f} requests/s · "
            f"×{reference / rate:.1f} · "
            f"{counts['statements'] / counts['requests']:.1f} statements per request"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0)
    seconds = parser.parse_args().seconds
    print(f"machine: {machine()}")
    print(f"gunicorn 2 workers x 4 threads, {CLIENTS} clients, 3 interleaved runs, medians")
    with redis_server() as redis_url, migrated_app() as (app, url):
        store = build_store(app)
        with app.app_context():
            db.engine.dispose()
        figures(url, redis_url, store, seconds)


if __name__ == "__main__":
    main()
