"""Balance transactions on the local server, in Stripe's shape (`GET /v1/balance_transactions`).

localstripe books card charges and refunds as balance transactions but lists them without
Stripe's filters; the wallet payments of local_wallets are not in its store at all. Here
both are served together as Stripe serves them: newest first, `created[gte|gt|lte|lt]`,
`type`, `limit` (1-100), `starting_after`, and `expand[]=data.source` (or `source` on a
retrieve), so that the official library pages through the same shape as against Stripe.
For the demo and tests only.
"""

import secrets
import time

from aiohttp import web

from plugins.stripe_payments import local_state

PATH = "/v1/balance_transactions"
BOUNDS = {
    "gte": lambda a, b: a >= b,
    "gt": lambda a, b: a > b,
    "lte": lambda a, b: a <= b,
    "lt": lambda a, b: a < b,
}


def new_id() -> str:
    """Return a balance transaction id in Stripe's form."""
    return f"txn_{secrets.token_hex(12)}"


def now() -> int:
    return int(time.time())


@web.middleware
async def balance(request: web.Request, handler):
    """Serve the list and the retrieval of balance transactions; pass the rest on."""
    path = request.path.rstrip("/")
    if request.method != "GET" or not (path == PATH or path.startswith(f"{PATH}/")):
        return await handler(request)
    from localstripe.server import get_api_key

    if get_api_key(request) is None:  # outside localstripe's own auth: check the secret key
        return _error(401, "Invalid API Key provided.", "authentication_error")
    try:
        if path == PATH:
            return web.json_response(_list(request.query))
        return _retrieve(path.rsplit("/", 1)[1], request.query)
    except ValueError as error:
        return _error(400, str(error))


def _error(status: int, message: str, kind: str = "invalid_request_error", code=None):
    body = {"error": {"type": kind, "message": message, **({"code": code} if code else {})}}
    return web.json_response(body, status=status)


def _expands(query, name: str) -> bool:
    return any(k.startswith("expand") and query.getall(k) == [name] for k in query)


def _list(query) -> dict:
    limit = int(query.get("limit") or 10)
    if not 1 <= limit <= 100:
        raise ValueError("limit must be between 1 and 100")
    found = [record for record in records() if _wanted(record, query)]
    after = query.get("starting_after")
    if after:
        ids = [record["id"] for record in found]
        if after not in ids:
            raise ValueError(f"No such balance transaction: '{after}'")
        found = found[ids.index(after) + 1 :]
    page = found[:limit]
    if _expands(query, "data.source"):
        page = [_expanded(record) for record in page]
    return {"object": "list", "data": page, "has_more": len(found) > limit, "url": PATH}


def _wanted(record: dict, query) -> bool:
    for bound, holds in BOUNDS.items():
        value = query.get(f"created[{bound}]")
        if value is not None and not holds(record["created"], int(value)):
            return False
    return query.get("type") in (None, record["type"])


def _retrieve(transaction_id: str, query) -> web.Response:
    for record in records():
        if record["id"] == transaction_id:
            expand = _expands(query, "source")
            return web.json_response(_expanded(record) if expand else record)
    message = f"No such balance transaction: '{transaction_id}'"
    return _error(404, message, code="resource_missing")


def records() -> list[dict]:
    """Return every balance transaction, localstripe's and the wallets', newest first."""
    from localstripe.resources import store

    found = [
        _stripe_shape(obj._export())
        for key, obj in list(store.items())
        if key.startswith("balance_transaction:")
    ]
    for intent in local_state.STATE["intents"].values():
        found += [_wallet_record(obj) for obj in _wallet_objects(intent)]
    return sorted(found, key=lambda record: (record["created"], record["id"]), reverse=True)


def _stripe_shape(record: dict) -> dict:
    # localstripe reports a same-currency rate of 1.0; Stripe leaves it null.
    return {**record, "exchange_rate": None, "livemode": False}


def _wallet_objects(intent: dict) -> list[dict]:
    charge = intent.get("latest_charge")
    booked = [charge] if charge and charge.get("balance_transaction") else []
    return booked + list(local_state.STATE.get("refunds", {}).get(intent["id"], ()))


def _wallet_record(obj: dict) -> dict:
    """Book a wallet charge (+) or refund (-) as Stripe would: no fee on the local server."""
    kind = obj["object"]
    amount = obj["amount"] if kind == "charge" else -obj["amount"]
    return {
        "id": obj["balance_transaction"],
        "object": "balance_transaction",
        "amount": amount,
        "available_on": obj["created"],
        "created": obj["created"],
        "currency": obj["currency"],
        "description": None if kind == "charge" else "REFUND FOR CHARGE",
        "exchange_rate": None,
        "fee": 0,
        "fee_details": [],
        "livemode": False,
        "net": amount,
        "reporting_category": kind,
        "source": obj["id"],
        "status": "available",
        "type": kind,
    }


def _expanded(record: dict) -> dict:
    source = _source(record["source"])
    return {**record, "source": source if source is not None else record["source"]}


def _source(source_id: str) -> dict | None:
    """The charge or refund behind a record, with its payment intent, as Stripe expands it."""
    for intent in local_state.STATE["intents"].values():
        for obj in _wallet_objects(intent):
            if obj["id"] == source_id:
                return obj
    from localstripe.errors import UserError
    from localstripe.resources import Charge, Refund

    kind = {"ch_": Charge, "re_": Refund}.get(source_id[:3])
    try:
        found = kind._api_retrieve(source_id)._export() if kind else None
    except UserError:
        return None
    if found and found["object"] == "refund" and not found.get("payment_intent"):
        # Stripe names the refunded charge's payment intent on every refund.
        found["payment_intent"] = Charge._api_retrieve(found["charge"]).payment_intent
    return found
