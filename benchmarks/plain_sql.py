"""The reference for write figures: the rows of a checkout written by plain SQL (psycopg).

The same writes as the product in as few round trips as SQL allows: one transaction to
place (person lock, quota read, stock taken, checkout, order, line, quota, event), one to
start the payment, one to apply the provider's event. Row-level security knows the tenant,
and ID numbers are encrypted, as in the product.
"""

import uuid

from cryptography.fernet import Fernet

from benchmarks._setup import ENCRYPTION_KEY

_CHECKOUT = (
    "INSERT INTO checkouts (tenant_id, token, shopper_id, amount, created_at) "
    "VALUES (%(t)s, %(token)s, %(s)s, 108.75, now()) RETURNING id"
)
_ORDER = (
    "INSERT INTO orders (tenant_id, number, checkout_id, shopper_id, supplier_id, status, "
    "tax_tag, tax_method, policy_code, goods_total, freight, tariff, consumption_tax, vat, "
    "tax_due, total, buyer_name, buyer_id_number, buyer_id_hash, buyer_phone, consignee, "
    "consignee_phone, consignee_address, placed_at, refunded) VALUES (%(t)s, %(number)s, "
    "%(c)s, %(s)s, %(supplier)s, 'pending_payment', 'cross_border_retail', 'composite', "
    "'seed', 100, 0, 5, 6.38, 7.44, 8.75, 108.75, 'n', %(id_token)s, %(id_hash)s, '1', 'n', "
    "'1', 'a', now(), 0) RETURNING id"
)


def connect(dsn: str, tenant_id: int):
    """Open a connection that tells row-level security the tenant, as the product does."""
    import psycopg

    conn = psycopg.connect(dsn.replace("postgresql+psycopg://", "postgresql://"))
    conn.execute("SELECT set_config('kuajing.tenant_id', %s, false)", (str(tenant_id),))
    conn.commit()
    return conn


def place(conn, store: dict, shopper_id: int, person: str) -> tuple[int, int]:
    """Place one order of one unit of the shared product; return (checkout id, order id)."""
    values = {
        "t": store["tenant"],
        "s": shopper_id,
        "token": uuid.uuid4().hex,
        "number": f"B{uuid.uuid4().hex[:20]}",
        "supplier": store["supplier"],
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
        checkout_id = conn.execute(_CHECKOUT, values).fetchone()[0]
        order_id = conn.execute(_ORDER, {**values, "c": checkout_id}).fetchone()[0]
        conn.execute(
            "INSERT INTO order_lines (tenant_id, order_id, line_no, product_id, sku, "
            "name, price, quantity, amount) VALUES (%s, %s, 1, %s, 's', 'n', 100, 1, 100)",
            (store["tenant"], order_id, store["product"]),
        )
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
        # the shared row last, held until commit: as the product takes it
        conn.execute(
            "UPDATE products SET stock = stock - 1 WHERE id = %s AND stock >= 1",
            (store["product"],),
        )
    return checkout_id, order_id


def pay(conn, store: dict, checkout_id: int, order_id: int) -> None:
    """Start the payment, then apply the provider's event (two transactions)."""
    with conn.transaction():
        conn.execute(
            "INSERT INTO payments (tenant_id, checkout_id, provider, method, reference,"
            " status, amount, currency, goods_total, tax_total, freight_total, refunded,"
            " failure, created_at) VALUES (%s, %s, 'stripe', 'card', %s, 'submitted', "
            "108.75, 'CNY', 100, 8.75, 0, 0, '', now())",
            (store["tenant"], checkout_id, f"pi_{uuid.uuid4().hex}"),
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
            "to_status, reason) VALUES (%s, %s, now(), 'x', 'pending_payment', 'paid', '')",
            (store["tenant"], order_id),
        )
