"""Checkout throughput and latency: place + pay (confirmed by a signed webhook) over HTTP
against gunicorn on PostgreSQL, with 1, 8 and 32 concurrent shoppers; and, as the
reference, the same rows written by one plain SQL transaction per checkout.

    .venv/bin/python -m benchmarks.checkout_throughput [--seconds 5]

Prints figures; asserts nothing. Each shopper is a different person (no shared quota row).
"""

import argparse
import json
import re
import statistics
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import psycopg
import requests
import stripe
from cryptography.fernet import Fernet
from sqlalchemy import text

from benchmarks._setup import ENCRYPTION_KEY, gunicorn, machine, migrated_app
from benchmarks.quote_throughput import build_store
from storefront.extensions import db
from storefront.tenancy import system_context
from tests.support.factories import PASSWORD
from tests.support.localstripe import confirm_card, local_stripe

SECRET = "whsec_benchmark"  # noqa: S105 - signs events for a throwaway server


class Shopper:
    def __init__(self, base: str, store: dict, email: str, stripe_base: str) -> None:
        self.stripe_base = stripe_base
        self.http, self.base, self.store = requests.Session(), base, store
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
        self._webhook(pay_path.rsplit("/", 1)[1])

    def _webhook(self, checkout_id: str) -> None:
        reference = self.store["references"](int(checkout_id))
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
        )
        assert response.status_code == 200


def run_http(base, store, stripe_base, shoppers: int, seconds: float):
    latencies, lock = [], threading.Lock()
    stop = time.perf_counter() + seconds

    def shop(index: int) -> None:
        shopper_id, address_id, identity_id = store["people"][index]
        client = Shopper(base, store, store["emails"][shopper_id], stripe_base)
        while time.perf_counter() < stop:
            start = time.perf_counter()
            client.checkout(address_id, identity_id)
            with lock:
                latencies.append(time.perf_counter() - start)

    with ThreadPoolExecutor(shoppers) as pool:
        list(pool.map(shop, range(shoppers)))
    return latencies


PLAIN_SQL = [
    (
        "INSERT INTO checkouts (tenant_id, token, shopper_id, amount, created_at) "
        "VALUES (%(t)s, %(token)s, %(s)s, 108.75, now()) RETURNING id"
    ),
    (
        "INSERT INTO orders (tenant_id, number, checkout_id, shopper_id, supplier_id, status, "
        "tax_tag, tax_method, policy_code, goods_total, freight, tariff, consumption_tax, vat, "
        "tax_due, total, buyer_name, buyer_id_number, buyer_id_hash, buyer_phone, consignee, "
        "consignee_phone, consignee_address, placed_at, refunded) VALUES (%(t)s, %(number)s, "
        "%(c)s, %(s)s, %(supplier)s, 'pending_payment', 'cross_border_retail', 'composite', "
        "'seed', 100, 0, 5, 6.38, 7.44, 8.75, 108.75, 'n', %(id_token)s, %(id_hash)s, '1', 'n', "
        "'1', 'a', now(), 0) RETURNING id"
    ),
]


def run_plain(url: str, store: dict, shoppers: int, seconds: float):
    latencies, lock = [], threading.Lock()
    stop = time.perf_counter() + seconds
    dsn = url.replace("postgresql+psycopg://", "postgresql://")

    def shop(index: int) -> None:
        shopper_id = store["people"][index][0]
        with psycopg.connect(dsn) as conn:
            # the same second wall as the product: row-level security knows the tenant
            tenant = str(store["tenant"])
            conn.execute("SELECT set_config('kuajing.tenant_id', %s, false)", (tenant,))
            conn.commit()
            while time.perf_counter() < stop:
                start = time.perf_counter()
                _plain_checkout(conn, store, shopper_id, index)
                with lock:
                    latencies.append(time.perf_counter() - start)

    with ThreadPoolExecutor(shoppers) as pool:
        list(pool.map(shop, range(shoppers)))
    return latencies


def _plain_checkout(conn, store: dict, shopper_id: int, index: int) -> None:
    person = f"bench-person-{index}"
    values = {
        "t": store["tenant"],
        "s": shopper_id,
        "token": uuid.uuid4().hex,
        "number": f"B{uuid.uuid4().hex[:20]}",
        "supplier": store["supplier"],
        # the product encrypts each ID number (PIPL): so does the baseline
        "id_token": Fernet(ENCRYPTION_KEY).encrypt(b"11010519491231002X").decode(),
        "id_hash": person,
    }
    with conn.transaction():
        conn.execute(
            "INSERT INTO quota_persons (person_hash, created_at) VALUES (%s, now()) "
            "ON CONFLICT DO NOTHING",
            (person,),
        )
        conn.execute("SELECT 1 FROM quota_persons WHERE person_hash = %s FOR UPDATE", (person,))
        conn.execute(
            "SELECT coalesce(sum(annual_amount), 0) FROM quota_movements "
            "WHERE person_hash = %s AND year = 2026",
            (person,),
        )
        conn.execute("SELECT id FROM products WHERE id = %s FOR UPDATE", (store["product"],))
        values["c"] = conn.execute(PLAIN_SQL[0], values).fetchone()[0]
        order_id = conn.execute(PLAIN_SQL[1], values).fetchone()[0]
        conn.execute(
            "INSERT INTO order_lines (tenant_id, order_id, line_no, product_id, sku, "
            "name, price, quantity, amount) VALUES (%s, %s, 1, %s, 's', 'n', 100, 1, "
            "100)",
            (store["tenant"], order_id, store["product"]),
        )
        conn.execute("UPDATE products SET stock = stock - 1 WHERE id = %s", (store["product"],))
        conn.execute(
            "INSERT INTO quota_movements (person_hash, tenant_id, order_id, year, day, "
            "annual_amount, day_amount, reason, created_at) VALUES (%s, %s, %s, 2026, "
            "current_date, 108.75, 0, 'reserve', now())",
            (person, store["tenant"], order_id),
        )
        conn.execute(
            "INSERT INTO order_events (tenant_id, order_id, at, actor, to_status, "
            "reason) VALUES (%s, %s, now(), 'x', 'pending_payment', '')",
            (store["tenant"], order_id),
        )
    with conn.transaction():
        conn.execute(
            "INSERT INTO payments (tenant_id, checkout_id, provider, method, reference,"
            " status, amount, currency, goods_total, tax_total, freight_total, refunded,"
            " failure, created_at) VALUES (%s, %s, 'stripe', 'card', %s, 'submitted', "
            "108.75, 'CNY', 100, 8.75, 0, 0, '', now())",
            (store["tenant"], values["c"], f"pi_{uuid.uuid4().hex}"),
        )
    with conn.transaction():
        conn.execute(
            "INSERT INTO provider_events (provider, event_id, type, payload, "
            "received_at, outcome) VALUES ('stripe', %s, 'x', '{}', now(), '')",
            (uuid.uuid4().hex,),
        )
        conn.execute(
            "UPDATE orders SET status = 'paid', paid_at = now() WHERE id = %s", (order_id,)
        )
        conn.execute(
            "INSERT INTO order_events (tenant_id, order_id, at, actor, from_status, "
            "to_status, reason) VALUES (%s, %s, now(), 'x', 'pending_payment', 'paid',"
            " '')",
            (store["tenant"], order_id),
        )


def describe(name: str, latencies: list[float], seconds: float) -> float:
    rate = len(latencies) / seconds
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(
        f"  {name}: {rate:8.1f} checkouts/s  p50 {statistics.median(ordered) * 1000:7.1f} ms"
        f"  p99 {p99 * 1000:7.1f} ms  ({len(latencies)} checkouts)"
    )
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    seconds = parser.parse_args().seconds
    print(f"machine: {machine()}")
    with local_stripe() as stripe_base, migrated_app() as (app, url):
        store = build_store(app, 32)
        with app.app_context(), system_context():
            store["supplier"] = db.session.execute(text("SELECT id FROM suppliers")).scalar()
            store["emails"] = dict(db.session.execute(text("SELECT id, email FROM shoppers")).all())

        def references(checkout_id: int) -> str:
            with app.app_context(), system_context():
                return db.session.execute(
                    text("SELECT reference FROM payments WHERE checkout_id = :c ORDER BY id DESC"),
                    {"c": checkout_id},
                ).scalar()

        store["references"] = references
        env = {
            "STRIPE_SECRET_KEY": "sk_test_bench",
            "STRIPE_WEBHOOK_SECRET": SECRET,
            "STRIPE_API_BASE": stripe_base,
        }
        with gunicorn(url, workers=2, threads=8, env=env) as base:
            for shoppers in (1, 8, 32):
                print(f"{shoppers} concurrent shopper(s):")
                app_rate = describe(
                    "product (HTTP)", run_http(base, store, stripe_base, shoppers, seconds), seconds
                )
                sql_rate = describe(
                    "plain SQL     ", run_plain(url, store, shoppers, seconds), seconds
                )
                print(f"  ratio plain SQL / product: {sql_rate / app_rate:.1f}x")
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
