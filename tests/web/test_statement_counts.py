"""The hot requests of the shopper's path run a fixed number of statements (an N+1 guard).

The limits are the counts after the speed work (issue 15): a change that adds a query to
one of these requests fails here, and must either remove it or raise the limit on purpose.
Counted: the statements SQLAlchemy sends (transaction control aside); the benchmarks count
every round trip at the server.
"""

import re
import uuid
from contextlib import contextmanager

import pytest
from redis import Redis
from rq import Queue
from sqlalchemy import event, select

from storefront.extensions import db
from storefront.jobs import QUEUES
from storefront.models import Payment
from storefront.tenancy import tenant_context
from tests.support import factories
from tests.web.helpers import login_shopper
from tests.web.test_checkout_flow import place_and_pay, signed, succeeded_event

_CONTROL = re.compile(r"^\s*(SAVEPOINT|RELEASE|ROLLBACK|COMMIT|BEGIN)\b", re.IGNORECASE)


@contextmanager
def statements():
    """Record the statements sent to PostgreSQL inside the block (transaction control aside)."""
    sent: list[str] = []
    connection = db.session.get_bind()
    # each request of a server starts with an empty session; the tests share one, so empty it
    # or lazy loads would be answered from objects an earlier request or a factory loaded
    db.session.expunge_all()

    def record(conn, cursor, statement, parameters, context, executemany):
        if not _CONTROL.match(statement):
            sent.append(statement)

    event.listen(connection, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(connection, "before_cursor_execute", record)


def _shown(sent: list[str]) -> str:
    return "\n".join(" ".join(statement.split())[:160] for statement in sent)


@pytest.fixture
def shop(client, tenants):
    """Store A with 20 products, its shopper signed in with a product in the cart."""
    a = tenants.a
    with tenant_context(a.tenant.id):
        for _ in range(18):
            factories.product(a.supplier, "25.00", a.template, "cross_border_retail")
    login_shopper(client, a.tenant, a.shopper)
    slug = a.tenant.slug
    client.post(f"/s/{slug}/cart/items", data={"product_id": a.product.id, "quantity": 1})
    client.get(f"/s/{slug}/")  # a first request warms each process's caches
    return a


@pytest.fixture
def jobs_on_redis(app, redis_url):
    """Jobs go to Redis (as in production) instead of running at the end of the request."""
    app.config["REDIS_URL"] = redis_url
    yield
    app.config["REDIS_URL"] = None
    for name in QUEUES:
        Queue(name, connection=Redis.from_url(redis_url)).empty()


# store row (it also shares the tenant with PostgreSQL), shopper, identity with its person's
# quota use, products (joined, with their filings)
QUOTE = 4
# store row (its embedding origins kept with the process's view of it), product (joined),
# reviews, shopper, unread notifications
PRODUCT_PAGE = 4
# store row, products (joined, their total in each row), shopper, unread notifications
HOME = 3
# store row, shopper; suspension, token, address with identity, person (one upsert that locks),
# products (with their filings), quota; 7 writes, the stock last (nothing reloaded after the
# commit). The form's lists of addresses and identities are read only to show the page.
PLACE = 15
# event recorded, its payment found (its id kept past the commit)
WEBHOOK = 2


@pytest.mark.parametrize(
    ("path", "limit"),
    [
        ("/cart/quote.json", QUOTE),
        ("/products/{product}", PRODUCT_PAGE),
        ("/", HOME),
    ],
)
def test_a_shopper_page_runs_at_most_its_statements(client, shop, path, limit):
    url = f"/s/{shop.tenant.slug}" + path.format(product=shop.product.id)
    with statements() as sent:
        assert client.get(url).status_code == 200
    assert len(sent) <= limit, _shown(sent)


def test_placing_an_order_runs_at_most_its_statements(client, shop, jobs_on_redis):
    slug = shop.tenant.slug
    page = client.get(f"/s/{slug}/checkout").get_data(as_text=True)
    token = page.split('name="token" type="hidden" value="')[1].split('"')[0]
    data = {"address_id": shop.address.id, "identity_id": shop.identity.id, "token": token}
    with statements() as sent:
        response = client.post(f"/s/{slug}/checkout", data={**data, "expected_total": "877.45"})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert len(sent) <= PLACE, _shown(sent)
    writes = [statement for statement in sent if not statement.startswith("SELECT")]
    assert writes[-1].startswith("UPDATE products SET stock"), "the stock is taken last"


def test_a_payment_webhook_runs_at_most_its_statements(app, client, tenants, redis_url):
    a = tenants.a
    with tenant_context(a.tenant.id):
        order, _ = place_and_pay(client, a)
        payment = db.session.scalar(select(Payment).where(Payment.checkout_id == order.checkout_id))
    body, headers = signed(succeeded_event(payment.reference, f"evt_{uuid.uuid4().hex}"))
    app.config["REDIS_URL"] = redis_url  # recorded and handed to a job, not applied here
    try:
        with statements() as sent:
            response = client.post("/webhooks/stripe", data=body, headers=headers)
        assert Queue("payments", connection=Redis.from_url(redis_url)).count == 1
    finally:
        app.config["REDIS_URL"] = None
        Queue("payments", connection=Redis.from_url(redis_url)).empty()
    assert response.status_code == 200
    assert len(sent) <= WEBHOOK, _shown(sent)
