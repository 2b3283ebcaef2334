"""Full checkout over HTTP against plain SQL: place + pay, confirmed by a signed webhook.

    .venv/bin/python -m benchmarks.checkout_throughput [--seconds 5] [--shoppers 32]

Production shape: gunicorn (2 workers x 8 threads), Redis and two RQ workers (the webhook
records the event, a job applies it), PostgreSQL, the local Stripe server; all on 127.0.0.1.
Every shopper signs in before the clock starts and makes the requests its browser makes
(product page, add to cart, checkout page, place, pay page, pay, order page) while the
payment server sends the webhook. The reference writes the same rows with plain SQL (three
transactions per checkout). Three interleaved repetitions, medians; statements per checkout
are counted by the server (pg_stat_statements), the workers' included. A run's rate counts
the time the workers need to apply its last payments. Each shopper is a different person.
"""

import argparse
import json
import re
import statistics
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import requests
import stripe

from benchmarks import plain_sql
from benchmarks._setup import (
    StatementCounter,
    gunicorn,
    interleaved,
    machine,
    migrated_app,
    rq_workers,
)
from benchmarks.quote_throughput import build_store
from storefront.extensions import db
from tests.support.factories import PASSWORD
from tests.support.localstripe import confirm_card, local_stripe
from tests.support.servers import redis_server

SECRET = "whsec_benchmark"  # noqa: S105 - signs events for a throwaway server


class Shopper:
    """A signed-in shopper's browser (and the payment server's webhook for its payments).

    `requests` keeps how long each of our server's answers took (to its headers, as
    `Response.elapsed` measures): the latencies of single requests, beside whole checkouts.
    """

    def __init__(self, base: str, store: dict, email: str, stripe_base: str) -> None:
        self.stripe_base = stripe_base
        self.http, self.base, self.store = requests.Session(), base, store
        self.requests: list[float] = []
        self.http.hooks["response"].append(self._timed)
        self.shop = f"{base}/s/{store['slug']}"
        self.stripe = stripe.StripeClient(
            "sk_test_bench", base_addresses={"api": stripe_base}, max_network_retries=0
        ).v1
        self.form("/login", {"email": email, "password": PASSWORD})

    def form(self, path: str, data: dict, page: str | None = None) -> requests.Response:
        html = self.http.get(self.shop + (page or path)).text
        fields = {}
        for tag in re.findall(r"<input[^>]*>", html):
            name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
            if name and value and name[1] in ("csrf_token", "token", "expected_total"):
                fields[name[1]] = value[1]
        return self.http.post(self.shop + path, data={**fields, **data})

    def _timed(self, response: requests.Response, *args, **kwargs) -> None:
        self.requests.append(response.elapsed.total_seconds())

    def checkout(self, address_id: int, identity_id: int) -> None:
        self.form(
            "/cart/items",
            {"product_id": self.store["product"], "quantity": 1},
            page=f"/products/{self.store['product']}",
        )
        placed = self.form("/checkout", {"address_id": address_id, "identity_id": identity_id})
        pay_path = placed.url.removeprefix(self.shop)
        if "/pay/" not in pay_path:
            errors = re.findall(r'class="(?:alert alert-error|error)"[^>]*>([^<]*)<', placed.text)
            raise RuntimeError(f"checkout refused: {placed.status_code} {errors}")
        card_page = self.form(pay_path, {"method": "card"})
        secret = re.search(r'data-client-secret="([^"]+)"', card_page.text)[1]
        # what Stripe.js does in the shopper's browser: the card goes to the payment server
        status, _intent = confirm_card(self.stripe_base, secret, "4242424242424242")
        assert status == 200, status
        self.http.get(self.shop + re.search(r'data-done-url="/s/[^/]+([^"]+)"', card_page.text)[1])
        self._webhook(secret.split("_secret_")[0])

    def _webhook(self, reference: str) -> None:
        """Send what the payment server sends once the card is confirmed."""
        intent = self.stripe.payment_intents.retrieve(reference).to_dict()
        payload = json.dumps(
            {
                "id": f"evt_{uuid.uuid4().hex}",
                "object": "event",
                "type": "payment_intent.succeeded",
                "created": int(time.time()),
                "data": {"object": intent},
            }
        )
        stamp = int(time.time())
        signature = stripe.WebhookSignature._compute_signature(f"{stamp}.{payload}", SECRET)
        response = self.http.post(
            f"{self.base}/webhooks/stripe",
            data=payload,
            headers={
                "Stripe-Signature": f"t={stamp},v1={signature}",
                "Content-Type": "application/json",
            },
            timeout=30,
        )
        assert response.status_code == 200


def run_http(clients: list[Shopper], store: dict, seconds: float, unpaid) -> tuple:
    """Checkouts per second (until every payment is applied) and their latencies."""
    latencies, lock = [], threading.Lock()
    started = time.perf_counter()
    stop = started + seconds

    def shop(index: int) -> None:
        _shopper_id, address_id, identity_id = store["people"][index]
        while time.perf_counter() < stop:
            start = time.perf_counter()
            clients[index].checkout(address_id, identity_id)
            with lock:
                latencies.append(time.perf_counter() - start)

    for client in clients:
        client.requests.clear()
    with ThreadPoolExecutor(len(clients)) as pool:
        list(pool.map(shop, range(len(clients))))
    while unpaid():  # the workers apply the last payments: their time counts
        time.sleep(0.1)
    rate = len(latencies) / (time.perf_counter() - started)
    return rate, latencies, [took for client in clients for took in client.requests]


def run_plain(url: str, store: dict, shoppers: int, seconds: float) -> tuple:
    latencies, lock = [], threading.Lock()
    started = time.perf_counter()
    stop = started + seconds

    def shop(index: int) -> None:
        shopper_id = store["people"][index][0]
        with plain_sql.connect(url, store["tenant"]) as conn:
            while time.perf_counter() < stop:
                start = time.perf_counter()
                checkout_id, order_id = plain_sql.place(
                    conn, store, shopper_id, f"bench-person-{index}"
                )
                plain_sql.pay(conn, store, checkout_id, order_id)
                with lock:
                    latencies.append(time.perf_counter() - start)

    with ThreadPoolExecutor(shoppers) as pool:
        list(pool.map(shop, range(shoppers)))
    return len(latencies) / (time.perf_counter() - started), latencies


def _p(latencies: list[float], share: float) -> float:
    ordered = sorted(latencies)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--shoppers", type=int, default=32)
    parser.add_argument(
        "--statements", action="store_true", help="print the statements run most often"
    )
    arguments = parser.parse_args()
    seconds, shoppers = arguments.seconds, arguments.shoppers
    print(f"machine: {machine()}")
    with (
        local_stripe() as stripe_base,
        redis_server() as redis_url,
        migrated_app(SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 4}) as (app, url),
    ):
        store = build_store(app, shoppers)

        counter, counted, taken = StatementCounter(url), [], []

        def unpaid() -> int:
            return counter.scalar("SELECT count(*) FROM orders WHERE status = 'pending_payment'")

        env = {
            "REDIS_URL": redis_url,
            "STRIPE_SECRET_KEY": "sk_test_bench",
            "STRIPE_WEBHOOK_SECRET": SECRET,
            "STRIPE_API_BASE": stripe_base,
        }
        with (
            rq_workers(url, redis_url, 2, env),
            gunicorn(url, workers=2, threads=8, env=env) as base,
        ):
            clients = [
                Shopper(base, store, store["emails"][index], stripe_base)
                for index in range(shoppers)
            ]

            def product():
                result = {}
                with counter.measure(result):
                    rate, latencies, requests_taken = run_http(clients, store, seconds, unpaid)
                counted.append(result["statements"] / len(latencies))
                taken.append(requests_taken)
                return rate, latencies

            results = interleaved(
                {"plain": lambda: run_plain(url, store, shoppers, seconds), "product": product}
            )
        if arguments.statements:
            for calls, query in counter.most_run():
                print(f"{calls:>8} {query[:150]}")
        with app.app_context():
            db.engine.dispose()
    _report(results, counted, taken, shoppers)


def _report(results: dict, counted: list[float], taken: list[list[float]], shoppers: int) -> None:
    rate = statistics.median(r for r, *_ in results["product"])
    reference = statistics.median(r for r, *_ in results["plain"])
    p50 = statistics.median(_p(latencies, 0.5) for _, latencies in results["product"])
    p99 = statistics.median(_p(latencies, 0.99) for _, latencies in results["product"])
    plain_p99 = statistics.median(_p(latencies, 0.99) for _, latencies in results["plain"])
    request_p50 = statistics.median(_p(run, 0.5) for run in taken)
    request_p99 = statistics.median(_p(run, 0.99) for run in taken)
    print(
        f"full checkout over HTTP, {shoppers} shoppers: {rate:,.1f} checkouts/s · plain SQL: "
        f"{reference:,.1f} checkouts/s (p99 {plain_p99:,.0f} ms) · ×{reference / rate:.1f} "
        f"(goal ≤ 12) · {statistics.median(counted):.0f} statements per checkout\n"
        f"  one request: p50 {request_p50:,.0f} ms, p99 {request_p99:,.0f} ms (goal ≤ 250) · "
        f"one whole checkout of {len(taken[0]) / len(results['product'][0][1]):.0f} requests "
        f"(and the payment server's calls): p50 {p50:,.0f} ms, p99 {p99:,.0f} ms"
    )


if __name__ == "__main__":
    main()
