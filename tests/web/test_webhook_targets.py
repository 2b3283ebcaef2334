"""Merchant webhooks reach only public https addresses; the console can delete endpoints.

Refusals are tested with resolution and connection stubbed, so no packet leaves the machine.
"""

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar

import pytest
from sqlalchemy import func, select

from storefront.domain.errors import ErrorCode
from storefront.domain.events import EventName
from storefront.extensions import db
from storefront.models import WebhookDelivery, WebhookEndpoint
from storefront.services import order_events, outbox, webhook_targets
from storefront.tenancy import tenant_context
from tests.web.helpers import login_staff

PUBLIC = "93.184.215.14"
INTERNAL = [
    "127.0.0.1",
    "127.8.9.10",
    "::1",
    "10.0.0.5",
    "172.16.3.4",
    "192.168.1.1",
    "169.254.169.254",  # cloud metadata
    "fe80::1%eth0",
    "fd00::1",
    "100.64.0.1",
    "0.0.0.0",  # noqa: S104 (an answer to refuse, not a binding)
    "::ffff:127.0.0.1",
    "224.0.0.1",
]


@pytest.fixture
def production(app, monkeypatch):
    """The production setting, DNS answered by `answers`, and every connect recorded."""
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_LOOPBACK", False)
    answers, connects = {"hooks.example.com": [PUBLIC]}, []

    def resolve(host, port):
        if host not in answers:
            raise socket.gaierror("no such host")
        return answers[host]

    def open_socket(address, port, timeout):
        connects.append((address, port))
        raise ConnectionRefusedError("stubbed: nothing is sent")

    monkeypatch.setattr(webhook_targets, "resolve", resolve)
    monkeypatch.setattr(webhook_targets, "open_socket", open_socket)
    return answers, connects


def _add(client, url: str):
    return client.post("/admin/webhooks", data={"url": url})


def _endpoint_count(tenant_id: int) -> int:
    with tenant_context(tenant_id):
        return db.session.scalar(select(func.count()).select_from(WebhookEndpoint))


@pytest.mark.parametrize("address", INTERNAL)
def test_a_host_resolving_to_an_internal_address_is_refused(client, tenants, production, address):
    answers, connects = production
    answers["inside.example.com"] = [PUBLIC, address]  # one bad answer is enough
    login_staff(client, tenants.a.owner)
    response = _add(client, "https://inside.example.com/hook")
    assert response.status_code == 200
    assert "公网地址" in response.get_data(as_text=True)
    assert _endpoint_count(tenants.a.tenant.id) == 0 and connects == []


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://127.0.0.1/hook", "公网地址"),
        ("https://[::1]:8443/hook", "公网地址"),
        ("https://169.254.169.254/latest/meta-data", "公网地址"),
        ("http://hooks.example.com/hook", "https://"),
        ("ftp://hooks.example.com/hook", "https://example.com/hooks"),
        ("https://user:pw@hooks.example.com/hook", "https://example.com/hooks"),
        ("https://hooks.example.com:99999/hook", "https://example.com/hooks"),
        ("https://nowhere.invalid/hook", "找不到该主机名"),
    ],
)
def test_unsafe_urls_are_form_errors(client, tenants, production, url, message):
    login_staff(client, tenants.a.owner)
    response = _add(client, url)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert _endpoint_count(tenants.a.tenant.id) == 0


def test_a_public_https_endpoint_is_accepted(client, tenants, production):
    login_staff(client, tenants.a.owner)
    assert _add(client, "https://hooks.example.com/hook").status_code == 302
    assert _endpoint_count(tenants.a.tenant.id) == 1


def _queue_completed(order) -> None:
    """Commit an order-completed event and let its subscribers queue the deliveries."""
    outbox.record(EventName.ORDER_COMPLETED, order, status="completed")
    db.session.commit()
    outbox.dispatch_pending()


def test_the_address_is_checked_again_at_connect_time(app, tenants, production):
    """DNS rebinding: public when added, loopback when delivered: nothing is connected."""
    answers, connects = production
    with app.test_request_context(), tenant_context(tenants.a.tenant.id):
        order_events.add_endpoint("https://hooks.example.com/hook")
        answers["hooks.example.com"] = ["127.0.0.1"]
        _queue_completed(tenants.a.order)
        db.session.commit()
        assert order_events.deliver_due() == 0
        delivery = db.session.scalar(select(WebhookDelivery))
    assert connects == []
    assert delivery.last_error == ErrorCode.UNREACHABLE


def test_a_public_address_is_connected_to_as_checked(app, tenants, production):
    _answers, connects = production
    with app.test_request_context(), tenant_context(tenants.a.tenant.id):
        order_events.add_endpoint("https://hooks.example.com/hook")
        _queue_completed(tenants.a.order)
        db.session.commit()
        order_events.deliver_due()
    assert connects == [(PUBLIC, 443)]


class _Redirect(BaseHTTPRequestHandler):
    hits: ClassVar[list] = []

    def do_POST(self):
        self.hits.append(self.path)
        self.send_response(307 if self.path == "/start" else 200)
        self.send_header("Location", "/elsewhere")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def _serve(handler):
    server = HTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_redirects_are_not_followed(app, tenants):
    server = _serve(_Redirect)
    _Redirect.hits.clear()
    try:
        with app.test_request_context(), tenant_context(tenants.a.tenant.id):
            order_events.add_endpoint(f"http://127.0.0.1:{server.server_port}/start")
            _queue_completed(tenants.a.order)
            db.session.commit()
            order_events.deliver_due()
            delivery = db.session.scalar(select(WebhookDelivery))
    finally:
        server.shutdown()
        server.server_close()
    assert _Redirect.hits == ["/start"]
    assert delivery.last_error == "HTTP 307"


def test_the_delivery_log_does_not_tell_open_from_closed_ports(app, tenants, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_TIMEOUT_SECONDS", 0.3)
    silent = socket.socket()  # accepts connections (backlog) and never answers
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))  # bound, not listening: refused
    urls = [f"http://127.0.0.1:{s.getsockname()[1]}/hook" for s in (silent, closed)]
    try:
        with app.test_request_context(), tenant_context(tenants.a.tenant.id):
            for url in urls:
                order_events.add_endpoint(url)
            _queue_completed(tenants.a.order)
            db.session.commit()
            started = time.monotonic()
            order_events.deliver_due()
            errors = {d.last_error for d in db.session.scalars(select(WebhookDelivery))}
    finally:
        silent.close()
        closed.close()
    assert errors == {ErrorCode.UNREACHABLE}
    assert time.monotonic() - started < 3


def test_the_console_shows_the_neutral_error_in_the_reader_s_language(client, tenants):
    a = tenants.a
    with tenant_context(a.tenant.id):
        order_events.add_endpoint("http://127.0.0.1:9/hook")
        _queue_completed(a.order)
        db.session.commit()
        order_events.deliver_due()
    login_staff(client, a.owner)
    page = client.get("/admin/webhooks").get_data(as_text=True)
    assert "无 HTTP 响应" in page and "unreachable" not in page


def test_an_endpoint_is_deleted_after_confirmation(client, tenants):
    a = tenants.a
    with tenant_context(a.tenant.id):
        endpoint = order_events.add_endpoint("http://127.0.0.1:9/hook")
        _queue_completed(a.order)
        db.session.commit()
    login_staff(client, a.owner)
    listing = client.get("/admin/webhooks").get_data(as_text=True)
    url = f"/admin/webhooks/{endpoint.id}/delete"
    assert url in listing
    confirm = client.get(url).get_data(as_text=True)
    assert "http://127.0.0.1:9/hook" in confirm and "无法撤销" in confirm
    assert _endpoint_count(a.tenant.id) == 1  # asking deletes nothing
    assert client.post(url).status_code == 302
    assert _endpoint_count(a.tenant.id) == 0
    with tenant_context(a.tenant.id):
        assert db.session.scalar(select(func.count()).select_from(WebhookDelivery)) == 0
    assert client.post(url).status_code == 404
