"""Invoicing never issues twice, never fails on a connection error, keeps issued invoices as
they are, invoices only eligible goods, stays in its store, and trusts only signed callbacks."""

import dataclasses
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from storefront.extensions import db
from storefront.integrations import registry
from storefront.models import Invoice, InvoiceEvent, Order
from storefront.models.invoices import ImmutableInvoice
from storefront.ports import Port, PortError, PortUnavailable
from storefront.services import invoice_issuing, invoice_requests
from storefront.services.invoice_requests import InvoiceRefusal, InvoiceRefused
from storefront.services.invoices import settle
from storefront.tenancy import tenant_context
from tests.support.invoices import PAID_AT, ask, domestic_order, invoices, provider, set_up


def sandbox_requests(store) -> list[dict]:
    with tenant_context(store.tenant.id):
        return registry.get(Port.INVOICE, store.tenant.id).stores["requests"].all()


def test_the_same_job_twice_issues_one_invoice(tenants):
    a = tenants.a
    set_up(a, mode="async")
    order = domestic_order(a)
    ask(a, order)
    with tenant_context(a.tenant.id):
        for _ in range(2):
            invoice_issuing.advance_order(order.id)
            (invoice,) = invoices(a, order.id)
            invoice_issuing.issue(invoice.id)
    assert len(invoices(a, order.id)) == 1 and len(sandbox_requests(a)) == 1


class Killed(BaseException):
    """The worker dies after the provider accepted and before the answer was recorded."""


def test_a_worker_killed_after_the_provider_call_is_followed_without_a_second_invoice(
    tenants, monkeypatch
):
    a = tenants.a
    set_up(a, mode="async")
    order = domestic_order(a)
    real_issue = type(registry.get(Port.INVOICE, a.tenant.id)).issue

    def issue_then_die(self, request):
        real_issue(self, request)
        raise Killed

    monkeypatch.setattr(type(registry.get(Port.INVOICE, a.tenant.id)), "issue", issue_then_die)
    with pytest.raises(Killed):
        ask(a, order)
    with tenant_context(a.tenant.id):
        db.session.rollback()
    (written,) = invoices(a, order.id)
    assert written.state == "requested" and written.provider_request_id is None
    monkeypatch.setattr(type(registry.get(Port.INVOICE, a.tenant.id)), "issue", real_issue)
    invoice_issuing.invoice_upkeep()  # the sweep asks again with the same serial, collects
    (invoice,) = invoices(a, order.id)
    assert invoice.state == "issued" and len(sandbox_requests(a)) == 1
    assert sandbox_requests(a)[0]["id"] == invoice.provider_request_id


def test_a_connection_error_keeps_the_invoice_to_be_asked_again(tenants):
    a = tenants.a
    set_up(a, fail="unavailable")
    order = domestic_order(a)
    ask(a, order)
    (invoice,) = invoices(a, order.id)
    assert (invoice.state, invoice.attempts) == ("requested", 1)
    assert invoice.failure_code is None
    provider(a)  # the service is back
    invoice_issuing.invoice_upkeep()
    assert invoices(a, order.id)[0].state == "issued"


def test_an_outage_while_collecting_keeps_it_issuing(tenants):
    a = tenants.a
    set_up(a, mode="async")
    order = domestic_order(a)
    ask(a, order)
    provider(a, fail="unavailable")
    invoice_issuing.invoice_upkeep()
    assert invoices(a, order.id)[0].state == "issuing"


@pytest.mark.parametrize(
    ("fail", "code", "words"),
    [("credit", "credit_exhausted", "授信额度不足"), ("login", "login_expired", "登录失效")],
)
def test_provider_refusals_fail_with_the_reason_and_a_retry_issues_under_the_same_serial(
    tenants, fail, code, words
):
    a = tenants.a
    set_up(a, fail=fail)
    order = domestic_order(a)
    ask(a, order)
    (failed,) = invoices(a, order.id)
    assert (failed.state, failed.failure_code) == ("failed", code)
    assert words in failed.failure_reason
    with tenant_context(a.tenant.id):
        assert settle(order.id) == []  # nothing new while the merchant has to act
    provider(a)  # topped up / logged in again
    with tenant_context(a.tenant.id):
        invoice_issuing.retry(failed.id, "owner")
    (issued,) = invoices(a, order.id)
    assert (issued.state, issued.serial) == ("issued", failed.serial)
    assert issued.failure_code is None
    with tenant_context(a.tenant.id):
        actions = db.session.scalars(
            select(InvoiceEvent.action).where(InvoiceEvent.invoice_id == issued.id)
        ).all()
    assert actions[:4] == ["written", "accepted", "failed", "retried"]


def test_an_issued_invoice_cannot_be_edited(tenants):
    a = tenants.a
    set_up(a)
    order = domestic_order(a)
    ask(a, order)
    (issued,) = invoices(a, order.id)
    for field, value in (
        ("total", Decimal("1.00")),
        ("buyer_name", "别人"),
        ("number", "1" * 20),
        ("lines", []),
    ):
        with tenant_context(a.tenant.id):
            invoice = db.session.scalar(select(Invoice).where(Invoice.id == issued.id))
            setattr(invoice, field, value)
            with pytest.raises(ImmutableInvoice):
                db.session.flush()
            db.session.rollback()
    with tenant_context(a.tenant.id):  # its state may still move (a red invoice reverses it)
        invoice = db.session.scalar(select(Invoice).where(Invoice.id == issued.id))
        invoice.state = "reversed"
        db.session.flush()
        db.session.rollback()


def test_eligibility_follows_the_products_tag(tenants):
    a = tenants.a
    set_up(a)  # defaults: domestic goods on, cross-border tax products off
    with tenant_context(a.tenant.id), pytest.raises(InvoiceRefused) as refused:
        invoice_requests.request_invoice(a.order.id, a.shopper.id, "personal", "张三")
    assert refused.value.code == InvoiceRefusal.NOT_OFFERED
    set_up(a, cross_border_retail=True, non_tax=False)
    with tenant_context(a.tenant.id):
        db.session.scalar(select(Order).where(Order.id == a.order.id)).paid_at = PAID_AT
        invoice_requests.request_invoice(a.order.id, a.shopper.id, "personal", "张三")
    (blue,) = invoices(a, a.order.id)
    assert (blue.state, blue.total) == ("issued", Decimal("877.45"))
    assert blue.lines[-1]["name"] == "代收跨境电商综合税" and blue.lines[-1]["tax_rate"] == "0"
    order = domestic_order(a)
    with tenant_context(a.tenant.id), pytest.raises(InvoiceRefused):
        invoice_requests.request_invoice(order.id, a.shopper.id, "personal", "张三")


def test_a_store_never_sees_or_invoices_another_stores_order(tenants):
    a, b = tenants.a, tenants.b
    set_up(a)
    set_up(b)
    order_b = domestic_order(b)
    with tenant_context(a.tenant.id), pytest.raises(LookupError):
        invoice_requests.request_invoice(order_b.id, b.shopper.id, "personal", "张三")
    ask(b, order_b)
    with tenant_context(a.tenant.id):
        assert db.session.scalar(select(func.count()).select_from(Invoice)) == 0
        assert settle(order_b.id) == []
        invoice_issuing.collect(invoices(b, order_b.id)[0].id)
    assert invoices(b, order_b.id)[0].state == "issued"


def test_a_signed_callback_is_recorded_and_collected_and_a_forged_one_refused(tenants, client):
    a = tenants.a
    set_up(a, mode="async")
    order = domestic_order(a)
    ask(a, order)
    (invoice,) = invoices(a, order.id)
    with tenant_context(a.tenant.id):
        adapter = registry.get(Port.INVOICE, a.tenant.id)
        body, signature = adapter.callback_for(invoice.provider_request_id)
    url = f"/webhooks/invoice/{a.tenant.slug}"
    header = adapter.SIGNATURE_HEADER
    forged = client.post(url, data=body.replace(b"issued", b"failed"), headers={header: signature})
    assert forged.status_code == 400
    assert client.post(url, data=body, headers={header: "0" * 64}).status_code == 400
    # the right body and signature, at another store's address: its secret differs
    set_up(tenants.b)
    other = client.post(f"/webhooks/invoice/{tenants.b.tenant.slug}", data=body,
                        headers={header: signature})  # fmt: skip
    assert other.status_code == 200 and other.get_json().get("unknown") is True
    assert invoices(a, order.id)[0].state == "issuing"
    answer = client.post(url, data=body, headers={header: signature})
    assert answer.status_code == 200 and answer.get_json() == {"received": True}
    issued = invoices(a, order.id)[0]
    assert issued.state == "issued"
    with tenant_context(a.tenant.id):
        assert (
            "callback"
            in db.session.scalars(
                select(InvoiceEvent.action).where(InvoiceEvent.invoice_id == issued.id)
            ).all()
        )


def test_callbacks_of_unknown_stores_are_not_found(client, tenants):
    response = client.post("/webhooks/invoice/no-such-store", data=b"{}")
    assert response.status_code == 404


def test_port_unavailable_is_not_a_failure_even_for_red_forms(tenants, monkeypatch):
    a = tenants.a
    set_up(a)
    order = domestic_order(a)
    ask(a, order)
    cls = type(registry.get(Port.INVOICE, a.tenant.id))

    def down(self, blue_number, reason):
        raise PortUnavailable("unavailable", "down")

    monkeypatch.setattr(cls, "red_confirm", down)
    with tenant_context(a.tenant.id):
        row = db.session.scalar(select(Order).where(Order.id == order.id))
        row.refunded = row.total
        db.session.commit()
        invoice_issuing.advance_order(order.id)
    red = invoices(a, order.id)[1]
    assert (red.kind, red.state, red.red_form_number) == ("red", "requested", None)


def test_an_issued_invoice_whose_files_cannot_be_fetched_stays_issued(tenants, monkeypatch):
    a = tenants.a
    set_up(a, mode="async")
    order = domestic_order(a)
    ask(a, order)
    with tenant_context(a.tenant.id):
        sandbox = type(registry.get(Port.INVOICE, a.tenant.id))
    query = sandbox.query

    def without_files(self, request_id):
        return dataclasses.replace(query(self, request_id), files=())

    def gone(self, number):
        raise PortError("not_found", "the provider lost the files")

    monkeypatch.setattr(sandbox, "query", without_files)
    monkeypatch.setattr(sandbox, "download", gone)
    invoice_issuing.invoice_upkeep()
    (invoice,) = invoices(a, order.id)
    assert invoice.state == "issued" and invoice.number  # the bureau issued it: not failed
    with tenant_context(a.tenant.id):
        actions = db.session.scalars(
            select(InvoiceEvent.action).where(InvoiceEvent.invoice_id == invoice.id)
        ).all()
        names = {file.name for file in invoice.files}
    assert "download_failed" in actions
    assert {f"{invoice.number}.pdf", f"{invoice.number}.xml"} <= names  # ours, rendered
