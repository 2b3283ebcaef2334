"""Migrations match the models; the demo loads once and only once."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from storefront.extensions import db
from storefront.integrations import registry
from storefront.models import CustomsDeclaration, LimitPolicyRow, Order, Product, StaffUser, Tenant
from storefront.ports import Port
from storefront.services import demo
from storefront.services.customs_upkeep import advance_each, due_declarations
from storefront.tenancy import system_context


def test_migrations_leave_no_difference_with_the_models(app, session):
    context = MigrationContext.configure(db.session.connection(), opts={"compare_type": True})
    assert compare_metadata(context, db.metadata) == []


def test_migrations_load_both_limit_policies(session):
    policies = {row.code: row for row in db.session.scalars(select(LimitPolicyRow))}
    assert set(policies) == {"seed", "cn-2019"}
    assert str(policies["seed"].order_limit) == "2000.00"
    assert str(policies["cn-2019"].annual_limit) == "26000.00"


def test_demo_loads_every_tag_and_two_stores_once(session):
    passwords = {name: "pw-" + name for name in ("operator", "owner", "second_owner", "shopper")}
    assert demo.load_demo(passwords) is True
    assert demo.load_demo(passwords) is False
    with system_context():
        assert db.session.scalar(select(func.count()).select_from(Tenant)) == 2
        tags = set(db.session.scalars(select(Product.tax_tag)))
        owner = db.session.scalar(select(StaffUser).where(StaffUser.email == demo.EMAILS["owner"]))
    assert tags == {
        None,
        "cross_border_retail",
        "domestic_dropship",
        "overseas_consolidation",
        "direct_mail",
    }
    assert owner.check_password("pw-owner")
    assert registry.get(Port.MAIL, owner.tenant_id).PLUGIN_ID == "sandbox_mail"
    assert registry.get(Port.PAYMENT, owner.tenant_id).PLUGIN_ID == "stripe"
    assert any("owner@demo.example" in line for line in demo.describe_logins(passwords))


def test_the_demo_holds_paid_orders_that_declare_all_declares(session):
    passwords = {name: "pw-" + name for name in ("operator", "owner", "second_owner", "shopper")}
    demo.load_demo(passwords)
    waiting = due_declarations()
    assert len(waiting) >= 2
    with system_context():
        states = set(db.session.scalars(select(CustomsDeclaration.state)))
        paid = db.session.scalars(
            select(Order.status).where(
                Order.tax_tag.in_(("cross_border_retail", "domestic_dropship"))
            )
        ).all()
    assert states == {"awaiting_waybill"} and set(paid) == {"paid"}
    counts = advance_each(waiting)  # what `flask customs declare --all` does
    assert counts["failed"] == 0
    with system_context():
        db.session.expire_all()
        states = set(db.session.scalars(select(CustomsDeclaration.state)))
    assert states == {"documents_sent"}
