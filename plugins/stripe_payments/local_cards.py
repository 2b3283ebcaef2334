"""Card payments confirmed by the page on the local server, as Stripe.js confirms them.

localstripe's Stripe.js stand-in takes the card in its element but only answers 3-D
Secure; `local-confirm.js` (appended to it here) sends the typed card to
`/_local/payment_intents/<id>/confirm_card`, authorised by the client secret, so card
data goes from the browser to the payment server and never to the shop.
"""

import json
from pathlib import Path

from aiohttp import web

from plugins.stripe_payments import local_state

CONFIRM_JS = Path(__file__).with_name("static") / "local-confirm.js"
CARD_FIELDS = ("number", "exp_month", "exp_year", "cvc")
LOCAL_CONFIRM = ["_local", "payment_intents", "confirm_card"]


@web.middleware
async def cards(request: web.Request, handler):
    """Serve the extended Stripe.js and the client-side card confirmation."""
    if request.method == "GET" and request.path == "/js.stripe.com/v3/":
        return _stripe_js()
    parts = request.path.split("/")  # /_local/payment_intents/<id>/confirm_card
    route = [*parts[1:3], *parts[4:]]
    if request.method == "POST" and len(parts) == 5 and route == LOCAL_CONFIRM:
        return await _confirm_card(request, parts[3])
    return await handler(request)


def _stripe_js() -> web.Response:
    from localstripe import server

    original = Path(server.__file__).with_name("localstripe-v3.js").read_text()
    return web.Response(
        text=original + "\n" + CONFIRM_JS.read_text(), content_type="application/javascript"
    )


def _card_error(code: str, message: str, status: int = 402) -> web.Response:
    body = {"error": {"type": "card_error", "code": code, "message": message}}
    return web.json_response(body, status=status)


async def _confirm_card(request: web.Request, intent_id: str) -> web.Response:
    from localstripe.errors import UserError
    from localstripe.resources import PaymentIntent, PaymentMethod

    try:
        data = json.loads(await request.text())
        intent = PaymentIntent._api_retrieve(intent_id)
    except (ValueError, UserError):
        return _card_error("resource_missing", "No such payment_intent", 404)
    if not isinstance(data, dict) or data.get("client_secret") != intent.client_secret:
        return _card_error("unauthorized", "Invalid client secret", 401)
    card = data.get("card") if isinstance(data.get("card"), dict) else {}
    card = {key: str(card.get(key) or "").replace(" ", "") for key in CARD_FIELDS}
    if not card["number"]:
        return _card_error("incomplete_number", "Your card number is incomplete.")
    if intent.status != "requires_payment_method":
        return _card_error("payment_intent_unexpected_state", intent.status, 400)
    try:
        method = PaymentMethod._api_create(type="card", card=card)
    except UserError:
        return _card_error("invalid_number", "Your card details are invalid.")
    intent.payment_method, intent.latest_charge = method.id, None  # a new attempt
    try:
        intent._confirm(on_failure_now=intent._report_failure)
    except UserError as declined:
        return declined.to_response()
    finally:
        local_state.save()
    return web.json_response(intent._export())
