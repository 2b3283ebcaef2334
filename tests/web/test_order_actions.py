"""Order pages offer exactly the moves the transition table allows for who is looking
(issue 7), and money or irreversible actions ask for confirmation with the amount."""

import re

import pytest

from storefront.domain.orders import Actor, OrderStatus, next_statuses, refund_allowed
from storefront.tenancy import tenant_context
from tests.web.helpers import login_shopper, login_staff

# The form (by the last part of its action URL) that makes each move, per page.
ACTIONS = {
    Actor.SHOPPER: {OrderStatus.CANCELLED: "cancel", OrderStatus.RECEIVED: "receive"},
    Actor.MERCHANT: {
        OrderStatus.SHIPPED: "ship",
        OrderStatus.COMPLETED: "complete",
        OrderStatus.RETURNED: "return",
        OrderStatus.REFUNDED: "refund",
        OrderStatus.CANCELLED: "cancel",
    },
    Actor.SYSTEM: {},  # jobs and provider events have no page
}


def _set_status(session, a, status) -> None:
    with tenant_context(a.tenant.id):
        a.order.status = status
        session.flush()


def _order_page(app, a, actor: Actor) -> str:
    """The order's page as the shopper or the merchant sees it (each in their own session)."""
    client = app.test_client()
    if actor is Actor.SHOPPER:
        login_shopper(client, a.tenant, a.shopper)
        page = client.get(f"/s/{a.tenant.slug}/orders/{a.order.id}")
    else:
        login_staff(client, a.owner)
        page = client.get(f"/admin/orders/{a.order.id}")
    assert page.status_code == 200
    return page.get_data(as_text=True)


def _offered(page: str, order_id: int) -> set[str]:
    return set(re.findall(rf'action="[^"]*/orders/{order_id}/(\w+)"', page))


@pytest.mark.parametrize("status", list(OrderStatus))
def test_every_status_target_and_actor(app, session, tenants, status):
    a = tenants.a
    _set_status(session, a, status)
    offered = {
        actor: _offered(_order_page(app, a, actor), a.order.id)
        for actor in (Actor.SHOPPER, Actor.MERCHANT)
    }
    for target in OrderStatus:
        for actor in Actor:
            allowed = target in next_statuses(status, actor)
            if (actor, target) == (Actor.MERCHANT, OrderStatus.REFUNDED):
                allowed = refund_allowed(status, paid=True)  # the order's payment succeeded
            action = ACTIONS[actor].get(target)
            if action is None:
                assert not allowed or actor is Actor.SYSTEM, (status, target, actor)
                continue
            assert (action in offered[actor]) == allowed, (status, target, actor)


def test_the_console_filters_returned_orders(client, session, tenants):
    a = tenants.a
    _set_status(session, a, OrderStatus.RETURNED)
    login_staff(client, a.owner)
    page = client.get("/admin/orders?status=returned").get_data(as_text=True)
    assert '<option value="returned" selected>' in page
    assert a.order.number in page


@pytest.mark.parametrize(
    ("status", "action", "actor"),
    [
        ("pending_payment", "cancel", Actor.SHOPPER),
        ("shipped", "receive", Actor.SHOPPER),
        ("paid", "cancel", Actor.MERCHANT),
    ],
)
def test_cancel_and_receipt_ask_for_confirmation_with_the_amount(
    app, session, tenants, status, action, actor
):
    a = tenants.a
    _set_status(session, a, status)
    page = _order_page(app, a, actor)
    form = re.search(rf'<form[^>]*/orders/{a.order.id}/{action}"[^>]*>', page).group(0)
    assert "data-confirm=" in form and "877.45" in form and a.order.number in form


def test_removing_an_identity_and_deleting_a_template_ask_first(client, tenants):
    a = tenants.a
    login_shopper(client, a.tenant, a.shopper)
    account = client.get(f"/s/{a.tenant.slug}/account").get_data(as_text=True)
    assert re.search(r'<form[^>]*/identities/\d+/delete"[^>]*data-confirm="[^"]*张三', account)
    login_staff(client, a.owner)
    templates = client.get("/admin/tax-templates").get_data(as_text=True)
    assert re.search(r'<form[^>]*/tax-templates/\d+/delete"[^>]*data-confirm=', templates)


def test_back_from_paying_the_order_page_offers_no_second_payment(client, session, tenants):
    a = tenants.a
    _set_status(session, a, OrderStatus.PENDING_PAYMENT)
    login_shopper(client, a.tenant, a.shopper)
    pay_link = f"/s/{a.tenant.slug}/pay/{a.order.checkout_id}"
    waiting = client.get(f"/s/{a.tenant.slug}/orders/{a.order.id}?paying=1")
    assert "正在等待支付机构确认付款" in waiting.get_data(as_text=True)
    assert pay_link not in waiting.get_data(as_text=True)  # no Pay button to pay twice
    later = client.get(f"/s/{a.tenant.slug}/orders/{a.order.id}")
    assert pay_link in later.get_data(as_text=True)
