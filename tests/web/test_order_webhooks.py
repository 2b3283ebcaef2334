"""Order events reach in-process subscribers and the merchant's endpoints, signed and
retried with backoff; every delivery is logged."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar

from sqlalchemy import select

from storefront.domain.events import EventName
from storefront.extensions import db
from storefront.models import WebhookDelivery
from storefront.services import order_events, outbox
from storefront.tenancy import tenant_context
from tests.web.helpers import login_staff


class _Endpoint(BaseHTTPRequestHandler):
    received: ClassVar[list] = []
    status: ClassVar[int] = 200

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((body, self.headers["Kuajing-Signature"]))
        self.send_response(self.status)
        self.end_headers()

    def log_message(self, *args):
        pass


def serve():
    server = HTTPServer(("127.0.0.1", 0), _Endpoint)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_shipping_sends_a_signed_order_event_to_the_merchant(client, tenants):
    a, server = tenants.a, serve()
    _Endpoint.received.clear()
    try:
        login_staff(client, a.owner)
        client.post("/admin/webhooks", data={"url": f"http://127.0.0.1:{server.server_port}/h"})
        client.post(
            f"/admin/orders/{a.order.id}/ship",
            data={"carrier": "EMS", "tracking_number": "EA123456789CN"},
        )
    finally:
        server.shutdown()
        server.server_close()
    ((body, header),) = _Endpoint.received
    event = json.loads(body)
    assert event["event"] == "order.shipped"
    assert event["order"]["tracking_number"] == "EA123456789CN"
    with tenant_context(a.tenant.id):
        endpoint = db.session.scalar(select(WebhookDelivery)).endpoint
    stamp = int(header.split(",")[0][2:])
    assert header == order_events.signature(endpoint.secret, stamp, body)
    page = client.get("/admin/webhooks").get_data(as_text=True)
    assert "order.shipped" in page and "已送达" in page  # delivered


def test_a_failing_endpoint_is_retried_with_backoff_then_given_up(tenants):
    a = tenants.a
    with tenant_context(a.tenant.id):
        order_events.add_endpoint("http://127.0.0.1:9/unreachable")
        outbox.record(EventName.ORDER_COMPLETED, a.order, status="completed")
        db.session.commit()
        assert outbox.dispatch_pending() == 1
        assert order_events.deliver_due() == 0
        delivery = db.session.scalar(select(WebhookDelivery))
        assert (delivery.event, delivery.status, delivery.attempts) == ("completed", "pending", 1)
        assert delivery.last_error
        for _ in range(len(order_events.BACKOFF_SECONDS)):
            delivery.next_attempt_at -= timedelta(days=1)
            order_events.deliver_due()
        assert (delivery.status, delivery.attempts) == ("failed", 6)


def test_only_https_endpoints_are_accepted(client, tenants):
    login_staff(client, tenants.a.owner)
    response = client.post("/admin/webhooks", data={"url": "ftp://example.com/hook"})
    assert response.status_code == 200
    assert "https://" in response.get_data(as_text=True)
