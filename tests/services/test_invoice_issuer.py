"""The invoice issuer's review (seed 000 step 2(2), issue 13): the merchant sends its details,
certificate and products; the operator decides; only an approved issuer invoices its approved
products, and the approval issues what was held back, once."""

from io import BytesIO

import pytest
from sqlalchemy import select

from storefront.domain.reviews import ReviewAction
from storefront.extensions import db
from storefront.jobs import dispatch_committed_events
from storefront.models import InvoiceEvent, InvoiceIssuerProduct, InvoiceSettings, Tenant
from storefront.services import demo, invoice_issuing, reviews
from storefront.services.invoice_issuer import ISSUER_KIND, Certificate, listed_product_ids
from storefront.services.invoice_settings import (
    InvoiceSettingsRefused,
    save_product_invoicing,
    save_settings,
)
from storefront.tenancy import system_context, tenant_context
from tests.support.invoices import (
    CERTIFICATE,
    OPERATOR,
    SETTINGS,
    approve_issuer,
    ask,
    domestic_order,
    invoices,
    set_up,
)


def issuer(store) -> InvoiceSettings:
    with tenant_context(store.tenant.id):
        db.session.expire_all()
        return db.session.scalar(select(InvoiceSettings))


def save(store, certificate=False, products=None, **values) -> InvoiceSettings:
    with tenant_context(store.tenant.id):
        upload = Certificate(BytesIO(CERTIFICATE), "证.pdf") if certificate else None
        return save_settings({**SETTINGS, **values}, "owner@a", upload, products)


def steps(store, row) -> list[tuple[str, str, str, str]]:
    with tenant_context(store.tenant.id):
        found = reviews.history(ISSUER_KIND, row.id)
        return [(s.action, s.to_state, s.actor_kind, s.reason) for s in found]


def decide(row, action, reason=""):
    reviews.decide(ISSUER_KIND, row.id, action, reason, OPERATOR, row.review_version)


def test_the_issuer_is_a_draft_until_it_has_a_certificate_and_products(tenants):
    a = tenants.a
    row = save(a)
    assert (row.review_state, row.review_version) == ("draft", 0)
    row = save(a, certificate=True)
    assert row.review_state == "draft" and row.certificate_file_id is not None
    row = save(a, products=[a.non_tax_product.id])
    assert (row.review_state, row.review_version) == ("submitted", 1)
    assert steps(a, row) == [("submit", "submitted", "staff", "")]
    assert issuer(tenants.b) is None


def test_the_operator_asks_for_changes_and_approves_the_corrected_issuer(tenants):
    a = tenants.a
    row = save(a, certificate=True, products=[a.non_tax_product.id])
    decide(row, ReviewAction.ASK_CHANGES, "证件模糊,请重新上传")
    row = issuer(a)
    assert (row.review_state, row.last_reason) == ("needs_changes", "证件模糊,请重新上传")
    row = save(a, certificate=True)
    assert (row.review_state, row.review_version) == ("submitted", 2)
    decide(row, ReviewAction.APPROVE)
    assert issuer(a).review_state == "approved"
    assert [step[:2] for step in steps(a, row)] == [
        ("submit", "submitted"),
        ("ask_changes", "needs_changes"),
        ("submit", "submitted"),
        ("approve", "approved"),
    ]


@pytest.mark.parametrize(
    "change",
    [
        {"values": {"payee_name": "跨境优选商城(新)"}},
        {"values": {"tax_rate": "9"}},
        {"certificate": True},
        {"products": "one fewer"},
    ],
)
def test_a_change_to_what_was_approved_sends_the_issuer_back_to_review(tenants, change):
    a = tenants.a
    set_up(a)
    products = [a.non_tax_product.id] if change.get("products") else None
    row = save(a, change.get("certificate", False), products, **change.get("values", {}))
    assert (row.review_state, row.review_version) == ("submitted", 2)


def test_the_stores_operations_change_without_a_review(tenants):
    a = tenants.a
    set_up(a)
    row = save(a, trigger="received", mode="async", drawer="王会计")
    assert (row.review_state, row.review_version) == ("approved", 1)


def test_a_listed_products_own_classification_sends_the_issuer_back_to_review(tenants):
    a = tenants.a
    set_up(a)
    with tenant_context(a.tenant.id):
        save_product_invoicing(a.product.id, {"tax_code": "1090511030000000000"}, "owner")
    assert issuer(a).review_state == "submitted"


def test_an_issuer_in_the_queue_is_not_changed(tenants):
    a = tenants.a
    set_up(a, approve=False)
    with pytest.raises(InvoiceSettingsRefused) as refused:
        save(a, payee_name="另一家公司")
    assert set(refused.value.errors) == {"review"}
    assert issuer(a).payee_name == SETTINGS["payee_name"]


def test_products_without_a_classification_or_none_at_all_are_refused(tenants):
    a = tenants.a
    set_up(a)
    with pytest.raises(InvoiceSettingsRefused) as refused:
        save(a, products=[])
    assert set(refused.value.errors) == {"products"}
    with pytest.raises(InvoiceSettingsRefused) as refused:  # no default code, no own code
        save(a, products=[a.non_tax_product.id], tax_code="")
    assert set(refused.value.errors) == {"products"}
    with pytest.raises(InvoiceSettingsRefused):  # another store's product
        save(a, products=[tenants.b.non_tax_product.id])


def test_an_issuer_not_approved_issues_nothing(tenants):
    a = tenants.a
    set_up(a, approve=False)
    order = domestic_order(a)
    ask(a, order)
    (blue,) = invoices(a, order.id)
    assert (blue.state, blue.failure_code, blue.number) == ("failed", "issuer_not_approved", None)
    assert blue.provider_request_id is None and blue.attempts == 0  # the provider never asked


def test_a_product_not_on_the_approved_list_is_not_invoiced(tenants):
    a = tenants.a
    set_up(a)
    with tenant_context(a.tenant.id):
        db.session.execute(
            InvoiceIssuerProduct.__table__.delete().where(
                InvoiceIssuerProduct.product_id == a.non_tax_product.id
            )
        )
        db.session.commit()
    order = domestic_order(a)
    ask(a, order)
    (blue,) = invoices(a, order.id)
    assert (blue.state, blue.failure_code) == ("failed", "product_not_invoiceable")


def test_the_approval_issues_the_held_invoices_once(tenants):
    a = tenants.a
    set_up(a, approve=False)
    orders = [domestic_order(a), domestic_order(a)]
    for order in orders:
        ask(a, order)
    assert [invoices(a, o.id)[0].state for o in orders] == ["failed", "failed"]
    approve_issuer(issuer(a))
    dispatch_committed_events()  # the decision's event: the release job after its commit
    with tenant_context(a.tenant.id):
        again = invoice_issuing.release_held("test")  # a second release finds nothing held
    assert again == 0
    for order in orders:
        (blue,) = invoices(a, order.id)
        assert (blue.state, blue.attempts, blue.failure_code) == ("issued", 1, None)
        with tenant_context(a.tenant.id):
            actions = db.session.scalars(
                select(InvoiceEvent.action).where(InvoiceEvent.invoice_id == blue.id)
            ).all()
        assert actions.count("accepted") == 1 and actions.count("retried") == 1


def test_a_rejection_releases_nothing(tenants):
    a = tenants.a
    set_up(a, approve=False)
    order = domestic_order(a)
    ask(a, order)
    decide(issuer(a), ReviewAction.REJECT, "税号与证件不符")
    dispatch_committed_events()
    (blue,) = invoices(a, order.id)
    assert (blue.state, blue.failure_code) == ("failed", "issuer_not_approved")


def test_the_demo_issuer_is_approved_by_the_demo_operator(session):
    passwords = {name: "pw-" + name for name in ("operator", "owner", "second_owner", "shopper")}
    assert demo.load_demo(passwords) is True
    with system_context():
        demo_id = db.session.scalar(select(Tenant.id).where(Tenant.slug == demo.DEMO_SLUG))
    with tenant_context(demo_id):
        row = db.session.scalar(select(InvoiceSettings))
        assert row.review_state == "approved" and row.certificate_file_id is not None
        assert listed_product_ids()
        found = reviews.history(ISSUER_KIND, row.id)
        assert [(s.action, s.actor, s.actor_kind) for s in found] == [
            ("submit", demo.EMAILS["owner"], "staff"),
            ("approve", demo.EMAILS["operator"], "operator"),
        ]
