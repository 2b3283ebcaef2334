"""Each automatic invoicing case of SPEC §7 and seed 003 §七.1 through the sandbox provider:
blue on the trigger (sync and async), red for a full refund or return, red then blue for a
partial refund, an exchange, a title change and the one change to paper."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from storefront.domain.orders import Actor, OrderStatus
from storefront.extensions import db
from storefront.jobs import dispatch_committed_events
from storefront.models import InvoiceEvent, Notification, Order, Refund
from storefront.services import invoice_issuing, invoice_requests
from storefront.services.invoice_issuing import invoice_upkeep
from storefront.services.invoice_requests import InvoiceRefusal, InvoiceRefused
from storefront.services.invoices import request_of
from storefront.services.refunds import record_refund
from storefront.tenancy import tenant_context
from tests.support.invoices import (
    BUYER_TAX_ID,
    ask,
    domestic_order,
    invoices,
    move,
    set_up,
)


def summary(store, order):
    return [(i.kind, i.state, i.total) for i in invoices(store, order.id)]


def refund(store, order, amount: str) -> None:
    with tenant_context(store.tenant.id):
        row = db.session.scalar(select(Order).where(Order.id == order.id))
        record_refund(row, store.payment, Decimal(amount), "console", "test", f"r-{amount}")
        db.session.commit()
    dispatch_committed_events()


def test_a_blue_invoice_is_issued_at_once_when_the_order_already_reached_the_trigger(tenants):
    a = tenants.a
    set_up(a, trigger="paid", mode="sync")
    order = domestic_order(a)
    ask(a, order, "enterprise", "上海某某科技有限公司", BUYER_TAX_ID)
    (blue,) = invoices(a, order.id)
    assert (blue.kind, blue.state, blue.total) == ("blue", "issued", Decimal("225.00"))
    assert len(blue.number) == 20 and blue.issued_at is not None
    assert (blue.buyer_name, blue.buyer_tax_id, blue.business_type) == (
        "上海某某科技有限公司",
        BUYER_TAX_ID,
        1,
    )
    assert blue.total_amount + blue.total_tax == blue.total
    assert blue.lines[0]["name"] == "*日用品*景德镇茶具" and blue.lines[-1]["name"] == "运费"
    names = sorted(f.name for f in blue.files)
    assert names == sorted(
        [f"{blue.number}.pdf", f"{blue.number}.xml", f"provider-{blue.number}.xml"]
    )
    pdf = next(f for f in blue.files if f.name.endswith(".pdf"))
    assert pdf.content.startswith(b"%PDF") and pdf.source == "ours"
    with tenant_context(a.tenant.id):
        stored = db.session.scalar(select(Order).where(Order.id == order.id))
        assert (stored.business_type, stored.platform_code) == (1, "OTHER")
        note = db.session.scalar(select(Notification).where(Notification.kind == "invoice"))
        assert note.params["invoice"] == blue.number and note.shopper_id == a.shopper.id


def test_the_trigger_event_issues_the_blue_invoice_and_earlier_statuses_do_not(tenants):
    a = tenants.a
    set_up(a, trigger="received", mode="sync")
    order = domestic_order(a)
    ask(a, order)
    assert invoices(a, order.id) == []  # paid only: waiting for the trigger
    move(a, order.id, OrderStatus.SHIPPED)
    dispatch_committed_events()
    assert invoices(a, order.id) == []
    move(a, order.id, OrderStatus.RECEIVED, Actor.SHOPPER)
    dispatch_committed_events()
    assert summary(a, order) == [("blue", "issued", Decimal("225.00"))]


def test_asynchronous_mode_requests_then_the_sweep_collects(tenants):
    a = tenants.a
    set_up(a, mode="async")
    order = domestic_order(a)
    ask(a, order)
    assert summary(a, order) == [("blue", "issuing", Decimal("225.00"))]
    assert invoice_upkeep()["collected"] >= 1
    assert summary(a, order) == [("blue", "issued", Decimal("225.00"))]


def test_a_full_refund_reverses_the_whole_invoice_and_nothing_follows(tenants):
    a = tenants.a
    set_up(a)
    order = domestic_order(a)
    ask(a, order)
    refund(a, order, "225.00")
    blue, red = invoices(a, order.id)
    assert (blue.state, red.kind, red.state, red.total) == (
        "reversed",
        "red",
        "issued",
        Decimal("-225.00"),
    )
    assert red.red_form_reason == "03"  # never shipped: 服务中止
    assert blue.number in red.remark and red.red_form_number in red.remark
    assert all(Decimal(line["quantity"]) < 0 for line in red.lines if line["kind"] == "goods")
    assert _request_state(a, order) == "closed"


def _request_state(store, order):
    with tenant_context(store.tenant.id):
        return request_of(order.id).state


def test_a_partial_refund_reverses_then_issues_a_blue_invoice_for_what_remains(tenants):
    a = tenants.a
    set_up(a)
    order = domestic_order(a)
    ask(a, order)
    refund(a, order, "50.00")
    assert summary(a, order) == [
        ("blue", "reversed", Decimal("225.00")),
        ("red", "issued", Decimal("-225.00")),
        ("blue", "issued", Decimal("175.00")),
    ]
    first, red, second = invoices(a, order.id)
    assert red.red_form_reason == "04" and second.cause == "refund"
    assert any(line["kind"] == "discount" for line in second.lines)
    assert second.serial.endswith("-B2") and red.serial.endswith(f"-R{first.id}")
    with tenant_context(a.tenant.id):
        assert db.session.scalar(select(Refund.amount)) is not None


def test_a_full_return_reverses_the_invoice_with_goods_returned(tenants):
    a = tenants.a
    set_up(a)
    order = domestic_order(a)
    ask(a, order)
    for status, actor in (
        (OrderStatus.SHIPPED, Actor.MERCHANT),
        (OrderStatus.RECEIVED, Actor.SHOPPER),
        (OrderStatus.RETURNED, Actor.MERCHANT),
    ):
        move(a, order.id, status, actor)
        dispatch_committed_events()
    assert summary(a, order) == [
        ("blue", "reversed", Decimal("225.00")),
        ("red", "issued", Decimal("-225.00")),
    ]
    assert invoices(a, order.id)[1].red_form_reason == "02"


def test_an_exchange_reverses_and_issues_again(tenants):
    a = tenants.a
    set_up(a)
    order = domestic_order(a)
    ask(a, order)
    move(a, order.id, OrderStatus.SHIPPED)
    move(a, order.id, OrderStatus.RECEIVED, Actor.SHOPPER)
    move(a, order.id, OrderStatus.SHIPPED)  # the replacement (换货)
    dispatch_committed_events()
    assert summary(a, order) == [
        ("blue", "reversed", Decimal("225.00")),
        ("red", "issued", Decimal("-225.00")),
        ("blue", "issued", Decimal("225.00")),
    ]
    assert invoices(a, order.id)[1].red_form_reason == "02"
    assert invoices(a, order.id)[2].cause == "exchange"


def test_a_title_change_reverses_and_issues_under_the_new_title(tenants):
    a = tenants.a
    set_up(a)
    order = domestic_order(a)
    ask(a, order)
    with tenant_context(a.tenant.id):
        invoice_requests.change_title(order.id, "enterprise", "上海某某科技有限公司", BUYER_TAX_ID)
    first, red, second = invoices(a, order.id)
    assert (first.buyer_name, first.business_type) == ("张三", 0)
    assert (red.red_form_reason, red.buyer_name) == ("01", "张三")
    assert (second.buyer_name, second.buyer_tax_id, second.business_type) == (
        "上海某某科技有限公司",
        BUYER_TAX_ID,
        1,
    )


def test_paper_once_reverses_the_electronic_invoice_and_never_goes_back(tenants):
    a = tenants.a
    set_up(a)
    order = domestic_order(a)
    ask(a, order)
    with tenant_context(a.tenant.id):
        invoice_requests.ask_paper(order.id)
    assert summary(a, order)[0][:2] == ("blue", "issued")  # the merchant reviews it first
    with tenant_context(a.tenant.id):
        invoice_requests.approve_paper(order.id, "staff:1 王店长")
    first, red, paper = invoices(a, order.id)
    assert (first.medium, red.medium, paper.medium) == ("electronic", "electronic", "paper")
    assert (paper.state, paper.cause, red.red_form_reason) == ("issued", "paper", "01")
    with tenant_context(a.tenant.id), pytest.raises(InvoiceRefused) as refused:
        invoice_requests.ask_paper(order.id)
    assert refused.value.code == InvoiceRefusal.PAPER_FINAL
    assert len(invoices(a, order.id)) == 3


def test_the_merchant_reverses_by_hand_and_a_corrected_invoice_follows(tenants):
    a = tenants.a
    set_up(a)
    order = domestic_order(a)
    ask(a, order)
    with tenant_context(a.tenant.id):
        red_id = invoice_issuing.reverse_by_hand(order.id, "单价录入错误", "staff:1 店主")
    first, red, second = invoices(a, order.id)
    assert (red.id, red.red_form_reason, red.cause) == (red_id, "01", "manual")
    assert (first.state, second.state, second.total) == ("reversed", "issued", Decimal("225.00"))
    with tenant_context(a.tenant.id):
        written = db.session.scalar(
            select(InvoiceEvent.answer).where(
                InvoiceEvent.invoice_id == red.id, InvoiceEvent.action == "written"
            )
        )
    assert written == {"note": "staff:1 店主: 单价录入错误"}


def test_an_exchange_before_the_first_blue_invoice_reverses_nothing(tenants):
    a = tenants.a
    set_up(a, trigger="completed")
    order = domestic_order(a)
    ask(a, order)
    for status, actor in (
        (OrderStatus.SHIPPED, Actor.MERCHANT),
        (OrderStatus.RECEIVED, Actor.SHOPPER),
        (OrderStatus.SHIPPED, Actor.MERCHANT),  # the replacement (换货), nothing invoiced yet
        (OrderStatus.RECEIVED, Actor.SHOPPER),
        (OrderStatus.COMPLETED, Actor.MERCHANT),
    ):
        move(a, order.id, status, actor)
        dispatch_committed_events()
    # the one blue invoice already describes the order as exchanged: no red one follows
    assert summary(a, order) == [("blue", "issued", Decimal("225.00"))]


def test_an_issued_invoice_is_still_corrected_after_the_goods_stop_being_eligible(tenants):
    a = tenants.a
    set_up(a)
    order = domestic_order(a)
    ask(a, order)
    set_up(a, non_tax=False)  # the store stops invoicing ordinary goods
    refund(a, order, "50.00")
    # the issued invoice no longer matches what was paid: red, then blue for what remains
    assert summary(a, order) == [
        ("blue", "reversed", Decimal("225.00")),
        ("red", "issued", Decimal("-225.00")),
        ("blue", "issued", Decimal("175.00")),
    ]


def test_reversing_by_hand_without_an_issued_invoice_writes_nothing(tenants):
    a = tenants.a
    set_up(a, trigger="shipped")
    order = domestic_order(a)
    ask(a, order)
    move(a, order.id, OrderStatus.SHIPPED)  # its event not dispatched yet: no invoice so far
    with tenant_context(a.tenant.id):
        assert invoice_issuing.reverse_by_hand(order.id, "单价录入错误", "staff:1 店主") is None
    assert invoices(a, order.id) == []


def test_a_defect_in_one_invoice_does_not_stop_the_sweep_of_the_others(tenants, monkeypatch):
    a, b = tenants.a, tenants.b
    for store in (a, b):
        set_up(store, mode="async")
    broken_order, good_order = domestic_order(a), domestic_order(b)
    ask(a, broken_order)
    ask(b, good_order)
    broken_id = invoices(a, broken_order.id)[0].id
    collect = invoice_issuing.collect

    def defective(invoice_id):
        if invoice_id == broken_id:
            raise RuntimeError("a defect in this invoice")
        return collect(invoice_id)

    monkeypatch.setattr(invoice_issuing, "collect", defective)
    counts = invoice_upkeep()
    assert counts["failed"] == 1
    assert summary(b, good_order) == [("blue", "issued", Decimal("225.00"))]
    assert summary(a, broken_order) == [("blue", "issuing", Decimal("225.00"))]
