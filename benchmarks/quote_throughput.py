"""The shopper's read path and placement, each beside its reference in the same run.

    .venv/bin/python -m benchmarks.quote_throughput [--seconds 3]

Production shape: gunicorn (2 workers x 4 threads) with Redis and an RQ worker, on
PostgreSQL, all on 127.0.0.1. Shoppers sign in before the clock starts and ask only for
what a browser asks for. Three interleaved repetitions, medians; statements are counted by
the server (pg_stat_statements).

1. domain: `quote_order` calls per second (pure function, one core);
2. HTTP, 8 signed-in clients: the cart quote (JSON), a product page and the store home
   (20 products), each against a bare Flask JSON endpoint on the same gunicorn settings;
   and the quote's own statements replayed without the application (benchmarks.
   statement_floor), the floor under the quote's figure;
3. placement, 8 concurrent shoppers (different persons) on one shared product, through the
   placement service in 1 and 2 processes, against the same writes in plain SQL.
"""

import argparse
import functools
import http.client
import multiprocessing
import re
import statistics
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

from benchmarks import plain_sql, statement_floor
from benchmarks._setup import (
    ENCRYPTION_KEY,
    StatementCounter,
    gunicorn,
    interleaved,
    machine,
    migrated_app,
    rq_workers,
)
from benchmarks.statement_floor import STATEMENTS_FILE as FLOOR
from storefront.domain.limits import BUILTIN_POLICIES, QuoteLine, quote_order
from storefront.domain.tax import TaxRates, TaxTag
from storefront.extensions import db
from storefront.tenancy import tenant_context
from tests.support import factories
from tests.support.servers import redis_server

CLIENTS = 8
HOME_PRODUCTS = 20
REPLAYERS = {"psycopg": "with psycopg", "engine": "through a SQLAlchemy engine"}


def domain_rate(seconds: float) -> float:
    rates = TaxRates.from_percent(tariff=5, consumption=6, vat=7, postal=51)
    lines = [QuoteLine(Decimal("100.00"), 2), QuoteLine(Decimal("780.50"))]
    policy, calls, deadline = BUILTIN_POLICIES["seed"], 0, time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        for _ in range(200):
            quote_order(
                tag=TaxTag.CROSS_BORDER_RETAIL,
                rates=rates,
                lines=lines,
                freight=Decimal("12.00"),
                policy=policy,
                annual_used=Decimal("5000"),
            )
        calls += 200
    return calls / seconds


def build_store(app, shoppers: int) -> dict:
    """One store: a shared product with ample stock, 19 more for the home page, shoppers."""
    with app.app_context():
        db.session().expire_on_commit = False
        tenant = factories.tenant("bench")
        with tenant_context(tenant.id):
            supplier = factories.supplier()
            template = factories.template()
            # a small price: runs of thousands of orders stay under each person's annual limit
            product = factories.product(
                supplier, "10.00", template, "cross_border_retail", stock=10**7
            )
            for _ in range(HOME_PRODUCTS - 1):
                factories.product(supplier, "25.00", template, "cross_border_retail")
            people, emails = [], []
            for n in range(shoppers):
                shopper = factories.shopper()
                emails.append(shopper.email)
                people.append(
                    (
                        shopper.id,
                        factories.address(shopper).id,
                        factories.identity(shopper, factories.resident_id(n)).id,
                    )
                )
        db.session.commit()
        return {
            "tenant": tenant.id,
            "slug": tenant.slug,
            "product": product.id,
            "supplier": supplier.id,
            "people": people,
            "emails": emails,
        }


class Browser:
    """One keep-alive connection with its session cookie, as a phone's browser keeps."""

    def __init__(self, base: str) -> None:
        host, port = base.removeprefix("http://").split(":")
        self.connection = http.client.HTTPConnection(host, int(port))
        self.cookie = ""

    def get(self, path: str) -> str:
        return self._send("GET", path, None)

    def post_form(self, path: str, page: str, data: dict) -> str:
        """Post `data` with the CSRF token of `page`, as the form on that page does."""
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', self.get(page))[1]
        return self._send("POST", path, urlencode({"csrf_token": token, **data}))

    def _exchange(self, method: str, path: str, body: str | None, headers: dict):
        self.connection.request(method, path, body=body, headers=headers)
        return self.connection.getresponse()

    def _send(self, method: str, path: str, body: str | None) -> str:
        headers = {"Accept-Language": "zh-CN,zh;q=0.9"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            response = self._exchange(method, path, body, headers)
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # the server closed the idle keep-alive connection (between phases): a browser
            # opens a new one
            self.connection.close()
            response = self._exchange(method, path, body, headers)
        text = response.read().decode()
        if response.status >= 400:
            raise RuntimeError(f"{method} {path}: {response.status} {text[:300]}")
        for cookie in response.headers.get_all("Set-Cookie") or ():
            if cookie.startswith("session="):
                self.cookie = cookie.split(";")[0]
        return text


def signed_in_browsers(base: str, store: dict, count: int) -> list[Browser]:
    """Sign `count` shoppers in, each with the shared product in the cart (before the clock)."""
    shop, browsers = f"/s/{store['slug']}", []
    for email in store["emails"][:count]:
        browser = Browser(base)
        login = {"email": email, "password": factories.PASSWORD}
        browser.post_form(f"{shop}/login", f"{shop}/login", login)
        item = {"product_id": store["product"], "quantity": 2}
        browser.post_form(f"{shop}/cart/items", f"{shop}/products/{store['product']}", item)
        browsers.append(browser)
    return browsers


def http_rate(browsers: list[Browser], path: str, seconds: float) -> float:
    """Requests per second of `path`, each browser asking in a loop for `seconds`."""
    count, stop = [0] * len(browsers), time.perf_counter() + seconds

    def client(index: int) -> None:
        while time.perf_counter() < stop:
            browsers[index].get(path)
            count[index] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(len(browsers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(count) / seconds


def http_figures(url: str, redis_url: str, store: dict, seconds: float, floor: Path) -> None:
    """Print quote, product page and store home beside the bare Flask endpoint, and the quote's
    own statements replayed without the application (`floor`: the recorded statements)."""
    counter, shop = StatementCounter(url), f"/s/{store['slug']}"
    env = {"REDIS_URL": redis_url}
    with (
        rq_workers(url, redis_url, 1),
        gunicorn(url, env=env) as base,
        gunicorn(url, app="benchmarks.bare_app:app") as bare_base,
        gunicorn(url, app="benchmarks.statement_floor:app", env={FLOOR: str(floor)}) as replay,
    ):
        browsers = signed_in_browsers(base, store, CLIENTS)
        bare = [Browser(bare_base) for _ in range(CLIENTS)]
        replaying = [Browser(replay) for _ in range(CLIENTS)]
        paths = {
            "cart quote": f"{shop}/cart/quote.json",
            "product page": f"{shop}/products/{store['product']}",
            "store home (20 products)": f"{shop}/",
        }
        counted = {name: {"statements": 0, "round_trips": 0, "requests": 0} for name in paths}

        def phase(name: str):
            def run() -> float:
                result = {}
                with counter.measure(result):
                    rate = http_rate(browsers, paths[name], seconds)
                for key in ("statements", "round_trips"):
                    counted[name][key] += result[key]
                counted[name]["requests"] += rate * seconds
                return rate

            return run

        phases = {"bare": lambda: http_rate(bare, "/", seconds)}
        phases.update({name: phase(name) for name in paths})
        for replayer in REPLAYERS:
            phases[replayer] = functools.partial(http_rate, replaying, f"/{replayer}", seconds)
        results = interleaved(phases)
        for browser in browsers + bare + replaying:
            browser.connection.close()
    reference = statistics.median(results["bare"])
    for name, goal in zip(paths, (4, 5, 6), strict=True):
        rate, counts = statistics.median(results[name]), counted[name]
        print(
            f"HTTP {name}: {rate:,.0f}/s · bare Flask JSON: {reference:,.0f}/s · "
            f"×{reference / rate:.1f} (goal ≤ {goal}) · "
            f"{counts['statements'] / counts['requests']:.1f} statements, "
            f"{counts['round_trips'] / counts['requests']:.1f} round trips per request"
        )
    for replayer, label in REPLAYERS.items():
        rate = statistics.median(results[replayer])
        print(
            f"  the cart quote's statements alone, replayed {label}: {rate:,.0f}/s · "
            f"×{reference / rate:.1f} of bare Flask JSON"
        )


def _place_in_process(url: str, store: dict, indexes: list[int], seconds: float, ready, counts):
    """Place orders for one shopper per index in this process for `seconds`, once every
    process is ready (the app built, each shopper loaded); put the count in `counts`."""
    from storefront import create_app
    from storefront.models import Shopper
    from storefront.queries.stores import active_store
    from storefront.services.checkout import PlacementRequest, place_order

    app = create_app(
        {
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": url,
            "PUBLIC_URL": "http://127.0.0.1",  # production requires it
            "ENCRYPTION_KEYS": ENCRYPTION_KEY,
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": len(indexes) + 2},
        }
    )
    done, loaded = [0] * len(indexes), threading.Barrier(len(indexes) + 1)
    clock = {}

    def shop(slot: int) -> None:
        shopper_id, address_id, identity_id = store["people"][indexes[slot]]
        with app.app_context(), tenant_context(store["tenant"]):
            tenant = active_store(store["slug"])  # what the store's pages pass
            shopper = db.session.get(Shopper, shopper_id)
            loaded.wait()  # this process's shoppers are loaded
            loaded.wait()  # every process is: the clock starts
            while time.perf_counter() < clock["stop"]:
                items = {store["product"]: 1}
                place_order(
                    tenant,
                    shopper,
                    PlacementRequest(items, identity_id, address_id, uuid.uuid4().hex, None),
                    datetime.now(UTC),
                )
                done[slot] += 1
            db.session.remove()

    threads = [threading.Thread(target=shop, args=(slot,)) for slot in range(len(indexes))]
    for thread in threads:
        thread.start()
    loaded.wait()
    ready.wait()
    clock["stop"] = time.perf_counter() + seconds
    loaded.wait()
    for thread in threads:
        thread.join()
    with app.app_context():
        db.engine.dispose()
    counts.put(sum(done))


def placement_rate(url: str, store: dict, shoppers: int, processes: int, seconds: float):
    """Orders per second of `shoppers` placing at once, spread over `processes` processes."""
    context = multiprocessing.get_context("spawn")
    ready, counts = context.Barrier(processes), context.Queue()
    groups = [list(range(shoppers))[p::processes] for p in range(processes)]
    workers = [
        context.Process(target=_place_in_process, args=(url, store, g, seconds, ready, counts))
        for g in groups
    ]
    for worker in workers:
        worker.start()
    total = sum(counts.get(timeout=120) for _ in workers)
    for worker in workers:
        worker.join()
    return total / seconds


def plain_placement_rate(url: str, store: dict, shoppers: int, seconds: float) -> float:
    """Orders per second of the same writes in plain SQL, one transaction per order."""
    stop, done = time.perf_counter() + seconds, [0] * shoppers

    def shop(index: int) -> None:
        with plain_sql.connect(url, store["tenant"]) as conn:
            while time.perf_counter() < stop:
                plain_sql.place(conn, store, store["people"][index][0], f"bench-{index}")
                done[index] += 1

    with ThreadPoolExecutor(shoppers) as pool:
        list(pool.map(shop, range(shoppers)))
    return sum(done) / seconds


def placement_figures(url: str, store: dict, seconds: float, shoppers: int = 8) -> None:
    """Print placement in 1 and 2 processes beside plain SQL, and statements per order."""
    counter, counted = StatementCounter(url), {}

    def product(processes: int):
        def run() -> float:
            result = {}
            with counter.measure(result):
                rate = placement_rate(url, store, shoppers, processes, seconds)
            counted[processes] = result["statements"] / (rate * seconds)
            return rate

        return run

    results = interleaved(
        {
            "plain": lambda: plain_placement_rate(url, store, shoppers, seconds),
            1: product(1),
            2: product(2),
        }
    )
    reference = statistics.median(results["plain"])
    for processes in (1, 2):
        rate = statistics.median(results[processes])
        print(
            f"placement, {shoppers} shoppers, one shared product, {processes} process(es): "
            f"{rate:,.0f} orders/s · plain SQL, one transaction: {reference:,.0f} orders/s · "
            f"×{reference / rate:.1f} (goal ≤ 4) · {counted[processes]:.1f} statements per order"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0)
    seconds = parser.parse_args().seconds
    print(f"machine: {machine()}")
    print(f"domain quote_order: {domain_rate(seconds):,.0f} calls/s")
    options = {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 10}}
    with redis_server() as redis_url, migrated_app(**options) as (app, url):
        store = build_store(app, 32)
        floor = statement_floor.record_quote(app, store, factories.PASSWORD)
        with app.app_context():
            db.engine.dispose()
        http_figures(url, redis_url, store, seconds, floor)
        placement_figures(url, store, seconds)


if __name__ == "__main__":
    main()
