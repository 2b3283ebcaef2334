"""WeChat Pay and Alipay on the local Stripe-compatible server (localstripe knows only cards).

PaymentIntents of these two types get the shapes real Stripe gives them
(`wechat_pay_display_qr_code`, `alipay_handle_redirect`); a small "wallet" page stands in
for the shopper's phone, and approving it sends a signed `payment_intent.succeeded` to the
registered webhooks, as Stripe would. Refunds of wallet payments are asynchronous, as on
Stripe: the refund is `pending`, then a signed `charge.refunded` follows. For the demo and
tests only.
"""

import asyncio
import hashlib
import hmac
import json
import secrets
import time
from html import escape

from aiohttp import web

from plugins.stripe_payments import local_state
from plugins.stripe_payments.local_balance import new_id

WALLETS = ("wechat_pay", "alipay")
PAYABLE = ("requires_action",)
_sending: set = set()  # keeps the webhook tasks alive until sent


def intents() -> dict[str, dict]:
    return local_state.STATE["intents"]


@web.middleware
async def wallets(request: web.Request, handler):
    """Serve wallet PaymentIntents here; pass everything else to localstripe."""
    path, method = request.path, request.method
    if method == "POST" and path == "/v1/payment_intents":
        form = await request.post()
        if form.get("payment_method_types[0]") in WALLETS:
            return _saved(_create(request, form))
    intent = intents().get(path.split("/")[3]) if path.startswith("/v1/payment_intents/") else None
    if intent is not None and method == "GET":
        return web.json_response(intent)
    if intent is not None and method == "POST" and path.endswith("/cancel"):
        return _saved(_cancel(intent))
    if method == "POST" and path == "/v1/refunds":
        form = await request.post()
        wallet_intent = intents().get(form.get("payment_intent", ""))
        if wallet_intent is not None:
            return _saved(_refund(wallet_intent, form))
    if path.startswith("/_local/wallet/"):
        return await _wallet_page(request, path.rsplit("/", 1)[1])
    return await handler(request)


def _saved(body: dict) -> web.Response:
    local_state.save()
    status = 400 if "error" in body else 200
    return web.json_response(body, status=status)


def _error(message: str) -> dict:
    return {"error": {"type": "invalid_request_error", "message": message}}


def _create(request: web.Request, form) -> dict:
    intent_id = f"pi_{secrets.token_hex(12)}"
    method = form["payment_method_types[0]"]
    page = f"{request.scheme}://{request.host}/_local/wallet/{intent_id}"
    metadata = {key[9:-1]: value for key, value in form.items() if key.startswith("metadata[")}
    intent = {
        "id": intent_id,
        "object": "payment_intent",
        "amount": int(form["amount"]),
        "currency": form["currency"],
        "status": "requires_action",
        "metadata": metadata,
        "client_secret": f"{intent_id}_secret_{secrets.token_hex(8)}",
        "latest_charge": None,
        "payment_method_types": [method],
        "return_url": form.get("return_url"),
        "shop_url": form.get("metadata[shop_url]"),
    }
    if method == "wechat_pay":
        intent["next_action"] = {
            "type": "wechat_pay_display_qr_code",
            "wechat_pay_display_qr_code": {
                "data": f"weixin://wxpay/bizpayurl?pr={intent_id}",
                "hosted_instructions_url": page,
                "image_url_png": None,
                "image_data_url": None,
            },
        }
    else:
        intent["next_action"] = {
            "type": "alipay_handle_redirect",
            "alipay_handle_redirect": {"url": page, "return_url": form.get("return_url")},
        }
    intents()[intent_id] = intent
    return intent


def _cancel(intent: dict) -> dict:
    if intent["status"] not in PAYABLE:
        return _error(f"This PaymentIntent's status is {intent['status']}: it cannot be canceled.")
    intent.update(status="canceled", next_action=None)
    return intent


def _refund(intent: dict, form) -> dict:
    charge = intent.get("latest_charge")
    if intent["status"] != "succeeded" or not charge:
        return _error("This PaymentIntent has no successful charge to refund.")
    amount = int(form.get("amount") or charge["amount"] - charge["amount_refunded"])
    if amount <= 0 or charge["amount_refunded"] + amount > charge["amount"]:
        return _error("Refund amount is greater than the unrefunded amount.")
    charge["amount_refunded"] += amount
    charge["refunded"] = charge["amount_refunded"] == charge["amount"]
    refund = {
        "id": f"re_{secrets.token_hex(12)}",
        "object": "refund",
        "amount": amount,
        "currency": intent["currency"],
        "payment_intent": intent["id"],
        "charge": charge["id"],
        "status": "pending",  # wallet refunds settle later, as on Stripe
        "created": int(time.time()),
        "balance_transaction": new_id(),  # booked at once, as Stripe books a refund
    }
    # kept beside the intent (a Stripe PaymentIntent lists no refunds) for the balance records
    local_state.STATE.setdefault("refunds", {}).setdefault(intent["id"], []).append(refund)
    _announce("charge.refunded", dict(charge))
    return refund


async def _wallet_page(request: web.Request, intent_id: str) -> web.Response:
    intent = intents().get(intent_id)
    if intent is None:
        raise web.HTTPNotFound()
    if request.method == "POST" and intent["status"] in PAYABLE:
        _succeed(intent, (await request.post()).get("payer", "张三"))
        local_state.save()
        if intent.get("return_url"):  # Alipay returns to the shop; WeChat is paid from afar
            raise web.HTTPFound(intent["return_url"])
    if intent["status"] not in PAYABLE:
        return _html(_outcome(intent))
    return _html(_approval_form(intent))


def _html(body: str) -> web.Response:
    head = "<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width'>"
    return web.Response(text=head + body, content_type="text/html")


def _wallet_name(intent: dict) -> str:
    wechat = intent["payment_method_types"] == ["wechat_pay"]
    return "微信支付 WeChat Pay" if wechat else "支付宝 Alipay"


def _back_link(intent: dict) -> str:
    url = intent.get("shop_url") or intent.get("return_url")
    return f"<p><a id=back href='{escape(url)}'>返回商店 Back to the store</a></p>" if url else ""


def _outcome(intent: dict) -> str:
    text = {
        "succeeded": "<h1 id=paid>支付成功 Paid</h1>",
        "canceled": "<h1 id=canceled>此付款已取消 This payment was cancelled</h1>",
    }.get(intent["status"], f"<h1>{escape(intent['status'])}</h1>")
    return f"<h2>{_wallet_name(intent)}</h2>{text}{_back_link(intent)}"


def _approval_form(intent: dict) -> str:
    metadata = intent["metadata"]
    orders = escape(metadata.get("order_numbers", ""))
    payer = escape(metadata.get("payer_name", ""))
    return (
        f"<h1>{_wallet_name(intent)}</h1>"
        f"<p>¥{intent['amount'] / 100:.2f} · {orders}</p><form method=post>"
        f"<input name=payer value='{payer}'><button id=approve>确认付款 Pay</button></form>"
        f"{_back_link(intent)}"
    )


def _succeed(intent: dict, payer: str) -> None:
    method = intent["payment_method_types"][0]
    account = {
        "wechat_pay": {"fingerprint": f"wx_{secrets.token_hex(6)}"},
        "alipay": {"buyer_id": f"2088{secrets.randbelow(10**12):012d}"},
    }[method]
    intent.update(
        status="succeeded",
        next_action=None,
        latest_charge={
            "id": f"ch_{secrets.token_hex(12)}",
            "object": "charge",
            "created": int(time.time()),
            "balance_transaction": new_id(),
            "amount": intent["amount"],
            "amount_refunded": 0,
            "refunded": False,
            "currency": intent["currency"],
            "payment_intent": intent["id"],
            "metadata": intent["metadata"],
            "billing_details": {"name": payer},
            "payment_method_details": {"type": method, method: account},
        },
    )
    _announce("payment_intent.succeeded", intent)


def _announce(event_type: str, obj: dict) -> None:
    event = {
        "id": f"evt_{secrets.token_hex(12)}",
        "object": "event",
        "type": event_type,
        "created": int(time.time()),
        "data": {"object": json.loads(json.dumps(obj))},  # a snapshot, as Stripe sends
    }
    _sending.add(task := asyncio.ensure_future(_send(event)))
    task.add_done_callback(_sending.discard)


async def _send(event: dict) -> None:
    import aiohttp
    from localstripe.webhooks import _webhooks

    payload = json.dumps(event).encode()
    await asyncio.sleep(0.5)
    async with aiohttp.ClientSession() as session:
        for hook in list(_webhooks.values()):
            signature = hmac.new(
                hook.secret.encode(), b"%d.%s" % (event["created"], payload), hashlib.sha256
            ).hexdigest()
            headers = {
                "Content-Type": "application/json",
                "Stripe-Signature": f"t={event['created']},v1={signature}",
            }
            try:
                async with session.post(hook.url, data=payload, headers=headers):
                    pass
            except aiohttp.ClientError:
                continue
