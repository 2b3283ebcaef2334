"""Quote and placement throughput: prints figures, asserts nothing.

    .venv/bin/python -m benchmarks.quote_throughput [--seconds 3]

1. domain: `quote_order` calls per second (pure function, one core);
2. HTTP: cart quotes per second from the JSON endpoint of gunicorn (2 workers x 4 threads)
   on PostgreSQL, 8 client threads;
3. placement on PostgreSQL with 1, 8 and 32 concurrent shoppers (each a different person,
   so only the product row locks are shared), through the real placement service.
"""

import argparse
import http.client
import re
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from decimal import Decimal

from benchmarks._setup import gunicorn, machine, migrated_app
from storefront.domain.limits import BUILTIN_POLICIES, QuoteLine, quote_order
from storefront.domain.tax import TaxRates, TaxTag
from storefront.extensions import db
from storefront.models import Shopper, Tenant
from storefront.services.checkout import PlacementRequest, place_order
from storefront.tenancy import tenant_context
from tests.support import factories


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
            people = []
            for n in range(shoppers):
                shopper = factories.shopper()
                people.append(
                    (
                        shopper.id,
                        factories.address(shopper).id,
                        factories.identity(shopper, _id_number(n)).id,
                    )
                )
        db.session.commit()
        return {"tenant": tenant.id, "slug": tenant.slug, "product": product.id, "people": people}


def _id_number(n: int) -> str:
    from storefront.domain.identity import check_char

    body = f"110105{1950 + n % 50}0101{n % 1000:03d}"
    return body + check_char(body)


def http_rate(base: str, store: dict, seconds: float, clients: int = 8) -> float:
    host, port = base.removeprefix("http://").split(":")
    count, stop = [0] * clients, time.perf_counter() + seconds

    def client(index: int) -> None:
        connection = http.client.HTTPConnection(host, int(port))
        cookie = _cart_cookie(connection, store)
        while time.perf_counter() < stop:
            connection.request(
                "GET", f"/s/{store['slug']}/cart/quote.json", headers={"Cookie": cookie}
            )
            response = connection.getresponse()
            response.read()
            assert response.status == 200
            count[index] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(count) / seconds


def _cart_cookie(connection, store: dict) -> str:
    connection.request("GET", f"/s/{store['slug']}/products/{store['product']}")
    response = connection.getresponse()
    page = response.read().decode()
    cookie = response.getheader("Set-Cookie").split(";")[0]
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    body = f"csrf_token={token}&product_id={store['product']}&quantity=2"
    connection.request(
        "POST",
        f"/s/{store['slug']}/cart/items",
        body=body,
        headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
    )
    response = connection.getresponse()
    response.read()
    return response.getheader("Set-Cookie").split(";")[0]


def placement_rate(app, store: dict, shoppers: int, seconds: float) -> float:
    stop, done = time.perf_counter() + seconds, [0] * shoppers

    def shop(index: int) -> None:
        shopper_id, address_id, identity_id = store["people"][index]
        with app.app_context(), tenant_context(store["tenant"]):
            tenant = db.session.get(Tenant, store["tenant"])
            shopper = db.session.get(Shopper, shopper_id)
            while time.perf_counter() < stop:
                place_order(
                    tenant,
                    shopper,
                    PlacementRequest(
                        items={store["product"]: 1},
                        identity_id=identity_id,
                        address_id=address_id,
                        token=uuid.uuid4().hex,
                        expected_total=None,
                    ),
                    datetime.now(UTC),
                )
                done[index] += 1
            db.session.remove()

    with ThreadPoolExecutor(shoppers) as pool:
        list(pool.map(shop, range(shoppers)))
    return sum(done) / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0)
    seconds = parser.parse_args().seconds
    print(f"machine: {machine()}")
    print(f"domain quote_order: {domain_rate(seconds):,.0f} calls/s")
    options = {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 40, "max_overflow": 0}}
    with migrated_app(**options) as (app, url):
        store = build_store(app, 32)
        with gunicorn(url) as base:
            print(
                f"HTTP cart quote (gunicorn 2x4, 8 clients): "
                f"{http_rate(base, store, seconds):,.0f} quotes/s"
            )
        for shoppers in (1, 8, 32):
            rate = placement_rate(app, store, shoppers, seconds)
            print(f"placement, {shoppers:>2} concurrent shoppers: {rate:,.0f} orders/s")
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
