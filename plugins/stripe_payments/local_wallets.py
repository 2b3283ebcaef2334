"""WeChat Pay and Alipay on the local Stripe-compatible server (localstripe knows only cards).

PaymentIntents of these two types get the shapes real Stripe gives them
(`wechat_pay_display_qr_code`, `alipay_handle_redirect`); a small "wallet" page stands in
for the shopper's phone, and approving it sends a signed `payment_intent.succeeded` to the
registered webhooks, as Stripe would. For the demo and tests only.
"""

import asyncio
import hashlib
import hmac
import json
import secrets
import time
from html import escape

from aiohttp import web

WALLETS = ("wechat_pay", "alipay")
_intents: dict[str, dict] = {}
_sending: set = set()  # keeps the webhook tasks alive until sent


@web.middleware
async def wallets(request: web.Request, handler):
    """Serve wallet PaymentIntents here; pass everything else to localstripe."""
    path = request.path
    if request.method == "POST" and path == "/v1/payment_intents":
        form = await request.post()
        if form.get("payment_method_types[0]") in WALLETS:
            return web.json_response(_create(request, form))
    if request.method == "GET" and path.startswith("/v1/payment_intents/"):
        intent = _intents.get(path.rsplit("/", 1)[1])
        if intent is not None:
            return web.json_response(intent)
    if path.startswith("/_local/wallet/"):
        return await _wallet_page(request, path.rsplit("/", 1)[1])
    return await handler(request)


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
    _intents[intent_id] = intent
    return intent


async def _wallet_page(request: web.Request, intent_id: str) -> web.Response:
    intent = _intents.get(intent_id)
    if intent is None:
        raise web.HTTPNotFound()
    if request.method == "POST":
        _succeed(intent, (await request.post()).get("payer", "张三"))
        if intent.get("return_url"):  # Alipay returns to the shop; WeChat is paid from afar
            raise web.HTTPFound(intent["return_url"])
        return web.Response(
            text="<!doctype html><h1 id=paid>支付成功 Paid</h1>", content_type="text/html"
        )
    name = (
        "微信支付 WeChat Pay"
        if intent["payment_method_types"] == ["wechat_pay"]
        else "支付宝 Alipay"
    )
    metadata = intent["metadata"]
    orders, payer = (
        escape(metadata.get("order_numbers", "")),
        escape(metadata.get("payer_name", "")),
    )
    body = (
        f"<!doctype html><meta name=viewport content='width=device-width'><h1>{name}</h1>"
        f"<p>¥{intent['amount'] / 100:.2f} · {orders}</p><form method=post>"
        f"<input name=payer value='{payer}'><button id=approve>确认付款 Pay</button></form>"
    )
    return web.Response(text=body, content_type="text/html")


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
            "amount": intent["amount"],
            "billing_details": {"name": payer},
            "payment_method_details": {"type": method, method: account},
        },
    )
    event = {
        "id": f"evt_{secrets.token_hex(12)}",
        "object": "event",
        "type": "payment_intent.succeeded",
        "created": int(time.time()),
        "data": {"object": intent},
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
