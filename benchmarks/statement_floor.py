"""The floor under an HTTP figure: a request's own statements replayed with nothing around them.

The cart quote's statements, with the parameters the product sent, are recorded once in the
benchmark's process (`record_quote`), then served by this Flask app on the same gunicorn
settings: `/psycopg` runs them on a connection of its own per thread, `/engine` through a
SQLAlchemy engine and its pool, each in one transaction ended by a commit as the product's
reads are. No session, sign-in, tenant filter, ORM or template: what is left between the
product and this floor is the application's own work.
"""

import json
import os
import re
import threading
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import psycopg
from flask import Flask, jsonify
from sqlalchemy import create_engine, event

STATEMENTS_FILE = "KUAJING_FLOOR_STATEMENTS"

app = Flask(__name__)
_connections = threading.local()


def _json_value(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def record_quote(flask_app, store: dict, password: str) -> Path:
    """Ask for the cart quote in-process, signed in with the shared product in the cart; write
    the statements its second request ran (the first warms the process up) and their
    parameters to a file, and return its path."""
    from storefront.extensions import db

    client, shop = flask_app.test_client(), f"/s/{store['slug']}"
    base = {"base_url": "http://127.0.0.1"}

    def post_form(path: str, page: str, data: dict) -> None:
        html = client.get(page, **base).get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)[1]
        client.post(path, data={"csrf_token": token, **data}, **base)

    post_form(f"{shop}/login", f"{shop}/login", {"email": store["emails"][0], "password": password})
    item = {"product_id": store["product"], "quantity": 2}
    post_form(f"{shop}/cart/items", f"{shop}/products/{store['product']}", item)
    quote, recorded = f"{shop}/cart/quote.json", []

    def ask_quote() -> None:
        response = client.get(quote, **base)
        if response.status_code != 200:
            raise RuntimeError(f"the cart quote answered {response.status_code}")

    ask_quote()

    def note(conn, cursor, statement, parameters, context, executemany):
        values = {key: _json_value(value) for key, value in (parameters or {}).items()}
        recorded.append((statement, values))

    with flask_app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        ask_quote()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    path = Path(flask_app.instance_path) / "floor-statements.json"
    path.parent.mkdir(parents=True, exist_ok=True)  # a fresh clone has no instance folder yet
    path.write_text(json.dumps(recorded))
    return path


@cache
def _statements() -> list:
    return json.loads(Path(os.environ[STATEMENTS_FILE]).read_text())


@cache
def _engine():
    return create_engine(os.environ["DATABASE_URL"], pool_size=8)


@app.get("/psycopg")
def replay_psycopg():
    """The statements on this thread's own psycopg connection (prepared after five runs)."""
    connection = getattr(_connections, "psycopg", None)
    if connection is None:
        url = os.environ["DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
        connection = _connections.psycopg = psycopg.connect(url)
    rows = 0
    with connection.cursor() as cursor:
        for statement, parameters in _statements():
            cursor.execute(statement, parameters)
            rows += len(cursor.fetchall())
    connection.commit()
    return jsonify({"rows": rows, "total": "0.00", "can_check_out": False})


@app.get("/engine")
def replay_engine():
    """The statements through a SQLAlchemy engine: its pool, cursor and result handling."""
    rows = 0
    with _engine().connect() as connection:
        for statement, parameters in _statements():
            rows += len(connection.exec_driver_sql(statement, parameters).all())
        connection.commit()
    return jsonify({"rows": rows, "total": "0.00", "can_check_out": False})
