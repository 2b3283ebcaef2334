"""Two waits of SPEC §7 / seed 003: a change to paper waits for the merchant's review (§四 换纸质
逻辑), and a red invoice waits for an enterprise buyer to confirm its red-letter form."""

import time

import pytest
from sqlalchemy import select

from storefront.extensions import db
from storefront.models import InvoiceEvent, Notification
from storefront.services import invoice_issuing, invoice_requests
from storefront.services.invoice_issuing import invoice_upkeep
from storefront.services.invoice_requests import InvoiceRefusal, InvoiceRefused
from storefront.services.invoices import request_of
from storefront.tenancy import tenant_context
from tests.support.invoices import BUYER_TAX_ID, ask, domestic_order, invoices, provider, set_up

MERCHANT = "staff:1 王店长"


def summary(store, order):
    return [(i.kind, i.state, i.medium) for i in invoices(store, order.id)]


def refused(store, action, *args) -> str:
    with tenant_context(store.tenant.id), pytest.raises(InvoiceRefused) as caught:
        action(*args)
    return caught.value.code


def request_row(store, order):
    with tenant_context(store.tenant.id):
        db.session.expire_all()
        return request_of(order.id)


def test_a_paper_request_waits_for_the_merchant_then_reverses_the_electronic_invoice(tenants):
    a = tenants.a
    set_up(a)
    order = domestic_order(a)
    ask(a, order)
    with tenant_context(a.tenant.id):
        invoice_requests.ask_paper(order.id)
    asked = request_row(a, order)
    assert (asked.paper_state, asked.medium) == ("requested", "electronic")
    assert summary(a, order) == [("blue", "issued", "electronic")]  # nothing reversed yet
    assert refused(a, invoice_requests.ask_paper, order.id) == InvoiceRefusal.PAPER_PENDING
    with tenant_context(a.tenant.id):
        invoice_requests.approve_paper(order.id, MERCHANT)
    assert summary(a, order) == [
        ("blue", "reversed", "electronic"),
        ("red", "issued", "electronic"),
        ("blue", "issued", "paper"),
    ]
    first, red, _paper = invoices(a, order.id)
    assert red.red_form_reason == "01"
    assert (request_row(a, order).paper_state, request_row(a, order).medium) == (
        "approved",
        "paper",
    )
    with tenant_context(a.tenant.id):
        actions = db.session.scalars(
            select(InvoiceEvent.actor).where(
                InvoiceEvent.invoice_id == first.id, InvoiceEvent.action == "paper_approved"
            )
        ).all()
    assert actions == [MERCHANT]
    assert refused(a, invoice_requests.ask_paper, order.id) == InvoiceRefusal.PAPER_FINAL
    again = refused(a, invoice_requests.approve_paper, order.id, MERCHANT)
    assert again == InvoiceRefusal.NO_PAPER_REQUEST


def test_a_declined_paper_request_tells_the_shopper_why_and_keeps_the_electronic_one(tenants):
    a = tenants.a
    set_up(a)
    order = domestic_order(a)
    ask(a, order)
    with tenant_context(a.tenant.id):
        invoice_requests.ask_paper(order.id)
    blank = refused(a, invoice_requests.decline_paper, order.id, "  ", MERCHANT)
    assert blank == InvoiceRefusal.NO_REASON
    with tenant_context(a.tenant.id):
        invoice_requests.decline_paper(order.id, "电子发票与纸质发票\n效力相同", MERCHANT)
    declined = request_row(a, order)
    assert (declined.paper_state, declined.paper_note, declined.medium) == (
        "declined",
        "电子发票与纸质发票 效力相同",
        "electronic",
    )
    assert summary(a, order) == [("blue", "issued", "electronic")]
    with tenant_context(a.tenant.id):
        note = db.session.scalar(
            select(Notification).where(Notification.kind == "invoice_paper_declined")
        )
    assert note.shopper_id == a.shopper.id
    assert (note.params["number"], note.params["reason"]) == (
        order.number,
        "电子发票与纸质发票 效力相同",
    )
    # once per order: the declined request stands, and there is nothing left to review
    assert refused(a, invoice_requests.ask_paper, order.id) == InvoiceRefusal.PAPER_DECLINED
    approve = refused(a, invoice_requests.approve_paper, order.id, MERCHANT)
    assert approve == InvoiceRefusal.NO_PAPER_REQUEST


def test_paper_asked_before_any_invoice_is_issued_needs_no_review(tenants):
    a = tenants.a
    set_up(a, trigger="received")
    order = domestic_order(a)
    ask(a, order)
    with tenant_context(a.tenant.id):
        invoice_requests.ask_paper(order.id)
    asked = request_row(a, order)
    assert (asked.medium, asked.paper_state) == ("paper", "")
    assert invoices(a, order.id) == []


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    """The tenant's sandbox provider on a clock the test moves."""
    moved, real = Clock(), invoice_issuing.provider

    def on_clock():
        adapter = real()
        adapter.clock = moved
        return adapter

    monkeypatch.setattr(invoice_issuing, "provider", on_clock)
    return moved


def enterprise_order_issued(store):
    """An order whose blue invoice is issued to an enterprise, with a provider now answering
    after a minute."""
    set_up(store)
    order = domestic_order(store)
    ask(store, order, "enterprise", "上海某某科技有限公司", BUYER_TAX_ID)
    provider(store, delay="60")
    return order


def change_to_person(store, order):
    with tenant_context(store.tenant.id):
        invoice_requests.change_title(order.id, "personal", "张三")


def events(store, invoice_id: int) -> list[str]:
    with tenant_context(store.tenant.id):
        return list(
            db.session.scalars(
                select(InvoiceEvent.action)
                .where(InvoiceEvent.invoice_id == invoice_id)
                .order_by(InvoiceEvent.id)
            )
        )


def test_a_red_invoice_waits_for_the_enterprise_buyer_to_confirm_its_form(tenants, clock):
    a = tenants.a
    order = enterprise_order_issued(a)
    change_to_person(a, order)
    blue, red = invoices(a, order.id)
    assert (red.state, red.red_form_state, blue.state) == ("requested", "pending", "issued")
    form = red.red_form_number
    assert len(form) == 20 and form in red.remark
    invoice_upkeep()  # the buyer has not confirmed yet: asked again, the same form
    blue, red = invoices(a, order.id)
    assert (red.state, red.red_form_state, red.red_form_number) == ("requested", "pending", form)
    assert events(a, red.id) == ["written", "red_form_pending"]  # each change, not each poll
    clock.now += 60
    invoice_upkeep()  # confirmed: the red invoice is asked for, answered a minute later
    clock.now += 60
    invoice_upkeep()
    blue, red, *_ = invoices(a, order.id)
    assert (blue.state, red.state, red.red_form_state) == ("reversed", "issued", "confirmed")
    assert red.red_form_number == form
    assert events(a, red.id)[:3] == ["written", "red_form_pending", "red_form"]


def test_a_refused_form_fails_the_red_invoice_and_a_retry_fills_a_new_one(tenants, clock):
    a = tenants.a
    order = enterprise_order_issued(a)
    provider(a, fail="reject", delay="60")
    change_to_person(a, order)
    clock.now += 60
    invoice_upkeep()
    blue, red = invoices(a, order.id)
    assert (red.state, red.red_form_state, red.failure_code) == (
        "failed",
        "refused",
        "red_form_refused",
    )
    assert blue.state == "issued"  # the blue invoice stays valid
    refused_form = red.red_form_number
    provider(a, delay="60")  # the buyer agrees this time
    with tenant_context(a.tenant.id):
        invoice_issuing.retry(red.id, MERCHANT)
    _blue, red = invoices(a, order.id)
    assert (red.state, red.red_form_state) == ("requested", "pending")
    assert red.red_form_number != refused_form
    clock.now += 60
    invoice_upkeep()
    clock.now += 60
    invoice_upkeep()
    assert [i.state for i in invoices(a, order.id)][:2] == ["reversed", "issued"]
