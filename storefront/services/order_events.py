"""Merchant webhooks: order events delivered to the merchant's endpoints, signed, with retries.

`queue_deliveries` is the subscriber that turns a committed order event into delivery rows;
`deliver_due` (a job) sends them.
"""

import hashlib
import hmac
import json
import secrets
import time
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select

from storefront.domain.errors import ErrorCode
from storefront.domain.events import DomainEvent, EventName
from storefront.extensions import db
from storefront.models import Order
from storefront.models.hooks import WebhookDelivery, WebhookEndpoint
from storefront.models.types import utcnow
from storefront.queries import row_or_none
from storefront.services import webhook_targets
from storefront.services.errors import NotFound

# Order events a merchant endpoint receives (README: "Merchant webhooks").
WEBHOOK_EVENTS = frozenset(
    {
        EventName.ORDER_PLACED,
        EventName.ORDER_PAID,
        EventName.ORDER_SHIPPED,
        EventName.ORDER_RECEIVED,
        EventName.ORDER_COMPLETED,
        EventName.ORDER_CANCELLED,
        EventName.ORDER_REFUNDED,
    }
)
BACKOFF_SECONDS = (60, 300, 1800, 7200, 21600)  # then the delivery is marked failed


def queue_deliveries(event: DomainEvent) -> None:
    """Queue a signed delivery of an order event for each active merchant endpoint."""
    order = row_or_none(Order, event.order_id)
    endpoints = db.session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.active)).all()
    if order is None or not endpoints:
        return
    payload = {
        "event": str(event.name),
        "order": {
            "number": order.number,
            "status": event.data.get("status", order.status),
            "total": str(order.total),
            "tax_due": str(order.tax_due),
            "tracking_number": order.tracking_number,
        },
    }
    for endpoint in endpoints:
        db.session.add(
            WebhookDelivery(
                endpoint_id=endpoint.id,
                event=event.name.removeprefix("order."),
                order_id=order.id,
                payload=payload,
            )
        )


def add_endpoint(url: str) -> WebhookEndpoint:
    """Register an HTTPS endpoint with a new signing secret; raise Refused if refused."""
    webhook_targets.check_endpoint_url(url, current_app.config["WEBHOOK_ALLOW_LOOPBACK"])
    endpoint = WebhookEndpoint(url=url, secret=f"whsec_{secrets.token_urlsafe(24)}")
    db.session.add(endpoint)
    db.session.commit()
    return endpoint


def delete_endpoint(endpoint_id: int) -> None:
    """Remove one of the store's endpoints and its delivery log; any other id is not found."""
    endpoint = db.session.scalar(select(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id))
    if endpoint is None:
        raise NotFound("WebhookEndpoint")
    db.session.execute(delete(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id))
    db.session.delete(endpoint)
    db.session.commit()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """HMAC-SHA256 over "timestamp.body", as the header `Kuajing-Signature: t=..,v1=..`."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def deliver_due(limit: int = 100) -> int:
    """Send the deliveries that are due; failures retry later with backoff. Returns sent."""
    now, sent = utcnow(), 0
    due = db.session.scalars(
        select(WebhookDelivery)
        .where(WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= now)
        .order_by(WebhookDelivery.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    for delivery in due:
        sent += _attempt(delivery)
    db.session.commit()
    return sent


def _attempt(delivery: WebhookDelivery) -> int:
    body = json.dumps({"id": f"dlv_{delivery.id}", **delivery.payload}).encode()
    stamp = int(time.time())
    delivery.attempts += 1
    headers = {
        "Content-Type": "application/json",
        "Kuajing-Signature": signature(delivery.endpoint.secret, stamp, body),
    }
    config = current_app.config
    try:
        status = webhook_targets.post(
            delivery.endpoint.url,
            body,
            headers,
            config["WEBHOOK_TIMEOUT_SECONDS"],
            config["WEBHOOK_ALLOW_LOOPBACK"],
        )
        ok, error = 200 <= status < 300, f"HTTP {status}"
    except webhook_targets.Unreachable:
        ok, error = False, ErrorCode.UNREACHABLE
    if ok:
        delivery.status, delivery.delivered_at, delivery.last_error = "delivered", utcnow(), ""
        return 1
    delivery.last_error = error
    if delivery.attempts > len(BACKOFF_SECONDS):
        delivery.status = "failed"
    else:
        delivery.next_attempt_at = utcnow() + timedelta(
            seconds=BACKOFF_SECONDS[delivery.attempts - 1]
        )
    return 0
