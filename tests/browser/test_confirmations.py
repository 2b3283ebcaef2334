"""Irreversible actions ask first and state the amount: dismissing the question changes
nothing, accepting it goes ahead (issue 8 item 6)."""

import pytest

from storefront.extensions import db
from storefront.models import Order
from storefront.tenancy import tenant_context
from tests.browser.test_purchase import sign_in_shopper

pytestmark = pytest.mark.browser


def _status(live_app, store) -> str:
    with live_app.app_context(), tenant_context(store.tenant.id):
        status = db.session.get(Order, store.order.id).status
        db.session.remove()
        return status


def test_cancelling_asks_with_the_amount_first(phone, live_server, live_app, stores):
    a = stores.a
    with live_app.app_context(), tenant_context(a.tenant.id):
        db.session.get(Order, a.order.id).status = "pending_payment"
        db.session.commit()
        db.session.remove()
    sign_in_shopper(phone, live_server, a)
    phone.goto(f"{live_server}/s/{a.tenant.slug}/orders/{a.order.id}")
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    phone.once("dialog", lambda dialog: answer(dialog, False))
    phone.click("#cancel-order")
    phone.wait_for_timeout(300)
    assert _status(live_app, a) == "pending_payment"
    phone.once("dialog", lambda dialog: answer(dialog, True))
    phone.click("#cancel-order")
    phone.wait_for_selector(".alert-success")
    assert _status(live_app, a) == "cancelled"
    assert "¥877.45" in questions[0] and a.order.number in questions[0]
