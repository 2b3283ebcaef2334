"""The pages of two waits (seed 003 §四, SPEC §7): the shopper's paper request awaiting the
merchant's review, approved or declined from the console with a confirmation; a red invoice
whose red-letter form awaits the enterprise buyer's confirmation, or was refused. In Chinese."""

from tests.support.invoices import BUYER_TAX_ID, domestic_order, invoices, provider, set_up
from tests.web.helpers import login_shopper, login_staff
from tests.web.test_invoice_pages import COMPANY, ZH, ask, chinese_only, request_row, save_title
from tests.web.test_invoice_pages import shop as shop_url


def text(client, url: str) -> str:
    return client.get(url, headers=ZH).get_data(as_text=True)


def paper_asked(client, store):
    """An order with an issued electronic invoice whose shopper asked for paper on its page."""
    set_up(store)
    order = domestic_order(store)
    ask(store, order, "张三", "")
    login_shopper(client, store.tenant, store.shopper)
    client.post(f"{shop_url(store)}/orders/{order.id}/invoice/paper")
    return order


def test_the_shopper_sees_the_request_await_review_and_the_merchant_approves_it(client, tenants):
    a = tenants.a
    order = paper_asked(client, a)
    shopper_page = f"{shop_url(a)}/orders/{order.id}"
    page = text(client, shopper_page)
    assert "申请纸质发票，等待商家审核" in page and 'id="ask-paper"' not in page
    assert [(i.kind, i.state) for i in invoices(a, order.id)] == [("blue", "issued")]
    login_staff(client, a.owner)
    (blue,) = invoices(a, order.id)
    for console_page in (f"/admin/orders/{order.id}", f"/admin/invoices/{blue.id}"):
        assert 'id="paper-review"' in text(client, console_page), console_page
    url = f"/admin/orders/{order.id}/invoices/paper/approve"
    asked = client.post(url, headers=ZH)
    body = asked.get_data(as_text=True)
    assert asked.status_code == 200 and 'id="invoice-confirm"' in body and "01 开票有误" in body
    assert chinese_only(body, a.tenant.name, a.owner.name, order.number) == set()
    assert len(invoices(a, order.id)) == 1  # nothing done before the confirmation
    done = client.post(url, data={"confirmed": "y"})
    assert done.status_code == 302
    assert [(i.kind, i.state, i.medium) for i in invoices(a, order.id)] == [
        ("blue", "reversed", "electronic"),
        ("red", "issued", "electronic"),
        ("blue", "issued", "paper"),
    ]
    assert 'id="paper-review"' not in text(client, f"/admin/orders/{order.id}")
    assert client.post(url, data={"confirmed": "y"}).status_code == 302  # refused: nothing left
    assert len(invoices(a, order.id)) == 3
    login_shopper(client, a.tenant, a.shopper)
    assert "纸质发票：不能再改回电子发票" in text(client, shopper_page)


def test_the_merchant_declines_with_a_reason_the_shopper_reads(client, tenants):
    a = tenants.a
    order = paper_asked(client, a)
    login_staff(client, a.owner)
    url = f"/admin/orders/{order.id}/invoices/paper/decline"
    client.post(url, data={"note": "  "})
    assert request_row(a, order).paper_state == "requested"  # no reason: nothing done
    asked = client.post(url, data={"note": "电子发票与纸质发票效力相同"}, headers=ZH)
    assert "电子发票与纸质发票效力相同" in asked.get_data(as_text=True)
    assert request_row(a, order).paper_state == "requested"
    client.post(url, data={"note": "电子发票与纸质发票效力相同", "confirmed": "y"})
    row = request_row(a, order)
    assert (row.paper_state, row.paper_note, row.medium) == (
        "declined",
        "电子发票与纸质发票效力相同",
        "electronic",
    )
    assert "已拒绝换开纸质发票：电子发票与纸质发票效力相同" in text(
        client, f"/admin/orders/{order.id}"
    )
    login_shopper(client, a.tenant, a.shopper)
    page = text(client, f"{shop_url(a)}/orders/{order.id}")
    assert "商家拒绝了纸质发票申请：电子发票与纸质发票效力相同" in page
    assert 'id="ask-paper"' not in page
    notes = text(client, f"{shop_url(a)}/notifications")
    assert f"商家拒绝了订单 {order.number} 的纸质发票申请：电子发票与纸质发票效力相同" in notes
    again = client.post(
        f"{shop_url(a)}/orders/{order.id}/invoice/paper", follow_redirects=True, headers=ZH
    )
    assert "每个订单只能申请一次" in again.get_data(as_text=True)


def enterprise_invoice_reversed(client, store, fail=""):
    """An enterprise's issued invoice, then the shopper changes to a personal title while the
    provider waits an hour for the buyer (or refuses the form)."""
    set_up(store)
    order = domestic_order(store)
    ask(store, order, COMPANY, BUYER_TAX_ID)
    person = save_title(store, "personal", "张三", "")
    provider(store, fail=fail, delay="0" if fail else "3600")
    login_shopper(client, store.tenant, store.shopper)
    client.post(f"{shop_url(store)}/orders/{order.id}/invoice/title", data={"title_id": person.id})
    return order


def test_a_pending_red_letter_form_is_shown_to_the_shopper_and_in_the_console(client, tenants):
    a = tenants.a
    order = enterprise_invoice_reversed(client, a)
    blue, red = invoices(a, order.id)
    assert (blue.state, red.state, red.red_form_state) == ("issued", "requested", "pending")
    assert "红字确认单待购方确认" in text(client, f"{shop_url(a)}/orders/{order.id}")
    login_staff(client, a.owner)
    assert "红字确认单待购方确认" in text(client, f"/admin/orders/{order.id}")
    detail = text(client, f"/admin/invoices/{red.id}")
    assert "待购方确认" in detail and red.red_form_number in detail
    data = (a.tenant.name, a.owner.name, order.number, blue.number, red.red_form_number, COMPANY)
    lines = [line["name"] for line in red.lines]
    assert chinese_only(detail, *data, BUYER_TAX_ID, *lines, red.drawer, red.remark) == set()


def test_a_refused_form_shows_why_and_the_merchant_can_retry(client, tenants):
    a = tenants.a
    order = enterprise_invoice_reversed(client, a, fail="reject")
    blue, red = invoices(a, order.id)
    assert (blue.state, red.state, red.failure_code) == ("issued", "failed", "red_form_refused")
    assert "购方拒绝了红字确认单" in text(client, f"{shop_url(a)}/orders/{order.id}")
    login_staff(client, a.owner)
    detail = text(client, f"/admin/invoices/{red.id}")
    assert "购方拒绝了红字发票信息确认单" in detail and 'id="invoice-retry"' in detail
    provider(a)
    client.post(f"/admin/invoices/{red.id}/retry", data={"confirmed": "y"})
    assert [i.state for i in invoices(a, order.id)] == ["reversed", "issued", "issued"]
