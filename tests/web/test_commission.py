"""Commission (返佣): referral links, records on completion, reversal on refund."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal as D

import pytest
from flask import current_app
from sqlalchemy import select

from storefront.extensions import db
from storefront.models import CommissionRecord, Payment
from storefront.ports import PaymentSlip
from storefront.services import commission, fulfilment
from storefront.services.checkout import PlacementRequest, place_order
from storefront.services.payments import reconcile
from storefront.tenancy import tenant_context
from tests.support import factories
from tests.support.localstripe import confirm_card
from tests.web.helpers import login_shopper, login_staff


def paid_reference(provider, amount: D) -> str:
    """A real payment on the local Stripe server, so the refund goes through the provider."""
    slip = PaymentSlip(
        order_numbers=("KJ1",),
        currency="CNY",
        goods_total=amount,
        tax_total=D("0"),
        freight_total=D("0"),
        amount_total=amount,
        payer_name="张三",
        payer_id_number="",
        payer_phone="",
        method="card",
        return_url="http://127.0.0.1/",
        idempotency_key=uuid.uuid4().hex,
    )
    view = provider.create_payment(slip)
    confirm_card(current_app.config["STRIPE_API_BASE"], view.client_secret, "4242424242424242")
    return view.reference


@pytest.mark.parametrize("where", ["console", "provider"])
def test_a_referred_order_earns_on_completion_and_a_refund_reverses(
    where, app, client, tenants, stripe_provider
):
    a = tenants.a
    with app.test_request_context(), tenant_context(a.tenant.id):
        a.tenant.commission_rate = D("5")
        promoter_shopper = factories.shopper()
        promoter = commission.become_promoter(promoter_shopper)
        special = factories.product(
            a.supplier, "200.00", a.template, "cross_border_retail", commission_rate=D("10")
        )
        placed = place_order(
            a.tenant,
            a.shopper,
            PlacementRequest(
                items={a.product.id: 1, special.id: 1},
                identity_id=a.identity.id,
                address_id=a.address.id,
                token=uuid.uuid4().hex,
                expected_total=None,
                referral_code=promoter.code.lower(),
            ),
            datetime.now(UTC),
        )
        order = placed.orders[0]
        assert order.promoter_id == promoter.id
        order.status, order.tracking_number = "received", "SF1"
        payment = Payment(
            checkout_id=order.checkout_id,
            provider="stripe",
            method="card",
            reference=paid_reference(stripe_provider, order.total),
            status="succeeded",
            amount=order.total,
            goods_total=order.goods_total,
            tax_total=order.tax_due,
            freight_total=order.freight,
        )
        db.session.add(payment)
        fulfilment.complete(order, "staff")
        earned = db.session.scalar(select(CommissionRecord))
        assert (earned.kind, earned.amount) == ("earned", D("60.00"))  # 800 x 5% + 200 x 10%
        if where == "console":
            fulfilment.refund(order, order.total, "staff")
        else:  # on the provider's dashboard; its event is applied by reconciling
            stripe_provider.refund(payment.reference, order.total, uuid.uuid4().hex)
            reconcile(payment)
        assert order.status == "refunded"
        amounts = db.session.scalars(
            select(CommissionRecord.amount).order_by(CommissionRecord.id)
        ).all()
        assert amounts == [D("60.00"), D("-60.00")]
    login_staff(client, a.owner)
    page = client.get("/admin/commissions").get_data(as_text=True)
    assert promoter.code in page and "60.00" in page
    client.post("/admin/logout")
    login_shopper(client, a.tenant, promoter_shopper)
    own = client.get(f"/s/{a.tenant.slug}/account/commission").get_data(as_text=True)
    assert promoter.code in own and order.number in own


def test_a_shopper_cannot_refer_themself(app, tenants):
    a = tenants.a
    with app.test_request_context(), tenant_context(a.tenant.id):
        promoter = commission.become_promoter(a.shopper)
        assert commission.referring_promoter(promoter.code, a.shopper) is None


def test_the_referral_code_from_a_link_reaches_the_order(client, tenants):
    a = tenants.a
    with tenant_context(a.tenant.id):
        promoter = commission.become_promoter(factories.shopper())
    client.get(f"/s/{a.tenant.slug}/?ref={promoter.code}")
    with client.session_transaction() as session:
        assert session["ref"] == {str(a.tenant.id): promoter.code}


def test_a_new_promoter_sees_a_zero_total(client, tenants):
    a = tenants.a
    login_shopper(client, a.tenant, a.shopper)
    assert client.post(f"/s/{a.tenant.slug}/account/commission").status_code == 302
    page = client.get(f"/s/{a.tenant.slug}/account/commission")
    assert page.status_code == 200
    assert "0.00" in page.get_data(as_text=True)
