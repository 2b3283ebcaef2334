"""The store inside a host page's iframe (SPEC §10): who may frame it, embed mode, host events.

A host page loads /embed.js, which frames /s/<store>/?embed=1&host=<its origin>. That origin
is only a claim: the store believes it when it is on the store's allowed list, and only then
remembers the host in the session and loads embedded.js, which posts to that one origin and
listens to it alone. Browsers enforce the rest: every store page's CSP frame-ancestors names
the store's own allowed origins only (storefront.security), so other sites cannot frame it.
"""

from datetime import datetime

from flask import current_app, g, jsonify, request, send_from_directory, session
from flask_login import current_user

from storefront.models import Shopper
from storefront.models.types import utcnow
from storefront.queries.embedding import orders_placed_since
from storefront.queries.stores import embedding_origins
from storefront.shop import bp, site
from storefront.shop.cart_session import cart_items

SESSION_KEY = "embedded"  # {tenant id: {"host", "since", "cart", "placed", "paid"}}
REMEMBERED_ORDERS = 20  # order ids already announced, per store: the cookie stays small


@site.route("/embed.js")
def embed_script():
    """The script of the merchant's snippet, at a stable address on our site."""
    return send_from_directory(current_app.static_folder, "embed.js", max_age=300)


@bp.before_request
def _embedding() -> None:
    """Enter or leave embed mode, reading the store's origins only when a host is involved."""
    if request.args.get("embed") != "1" and _state() is None:
        g.embed_host = None
        return  # not embedded: a page reads the origins for its answer (_frame_ancestors)
    g.frame_ancestors = embedding_origins(g.tenant)
    if request.args.get("embed") == "1":
        _enter(request.args.get("host", ""))
    state = _state()
    if state is not None and state.get("host") not in g.frame_ancestors:
        _leave()  # the merchant removed the host since: stop talking to it
        state = None
    g.embed_host = state["host"] if state else None


@bp.after_request
def _frame_ancestors(response):
    """Name the store's origins as frame ancestors of what a host may frame; a JSON answer is
    never a framed document, so the cart quote and its kin skip the read."""
    if response.is_json or "frame_ancestors" in g or g.get("tenant") is None:
        return response
    if response.status_code < 500:  # a failed request (its database down) reads nothing more
        g.frame_ancestors = embedding_origins(g.tenant)
    return response


@bp.context_processor
def _embedded_page() -> dict:
    return {"embedded_store": host_events}


@bp.route("/embed/events.json")
def embed_events():
    """The host events not yet sent, for embedded.js to poll while a payment is awaited."""
    return jsonify(host_events() or {"host": None, "events": [], "poll": False})


def host_events() -> dict | None:
    """Return the verified host and the events it has not heard of yet, or None outside
    embed mode. Each event is handed out once: the session remembers what was announced."""
    state = _state()
    if state is None or not g.get("embed_host"):
        return None
    events = _cart_event(state)
    waiting = False
    if isinstance(current_user._get_current_object(), Shopper):
        since = datetime.fromisoformat(state["since"])
        for order in orders_placed_since(current_user.id, since, REMEMBERED_ORDERS):
            events += _order_events(state, order)
            waiting = waiting or order.status == "pending_payment"
    session.modified = True
    return {"host": state["host"], "events": events, "poll": waiting}


def _cart_event(state: dict) -> list[dict]:
    items = cart_items()
    signature = _cart_signature(items)
    if state.get("cart") == signature:
        return []
    state["cart"] = signature
    detail = {"lines": len(items), "quantity": sum(items.values())}
    return [{"type": "kuajing:cart.changed", "detail": detail}]


def _order_events(state: dict, order) -> list[dict]:
    detail = {"order": order.number, "total": f"{order.total:.2f}", "status": order.status}
    events = []
    for name, announced, due in (
        ("kuajing:order.placed", "placed", True),
        ("kuajing:order.paid", "paid", order.paid_at is not None),
    ):
        if due and order.id not in state[announced]:
            state[announced] = [*state[announced], order.id][-REMEMBERED_ORDERS:]
            events.append({"type": name, "detail": detail})
    return events


def _cart_signature(items: dict[int, int]) -> str:
    return ",".join(f"{pid}x{qty}" for pid, qty in items.items())


def _state() -> dict | None:
    return session.get(SESSION_KEY, {}).get(str(g.tenant.id))


def _enter(host: str) -> None:
    """Embed for `host` if the store allows it; any other claim leaves embed mode."""
    if host not in g.frame_ancestors:
        _leave()
        return
    states = dict(session.get(SESSION_KEY, {}))
    previous = states.get(str(g.tenant.id)) or {}
    if previous.get("host") == host:
        return  # the host page was reloaded: keep what it has heard already
    states[str(g.tenant.id)] = {
        "host": host,
        "since": utcnow().isoformat(),
        "cart": _cart_signature(cart_items()),
        "placed": [],
        "paid": [],
    }
    session[SESSION_KEY] = states


def _leave() -> None:
    states = dict(session.get(SESSION_KEY, {}))
    if states.pop(str(g.tenant.id), None) is not None:
        session[SESSION_KEY] = states
