"""Customs' electronic tax bills are taken in with the receipts: matched by the inventory
number, kept once, and the latest bill of a number is the tax actually deducted."""

from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from plugins.sandbox.customs_tax import digit_sum
from storefront.domain.customs.receipts import tax_refunded
from storefront.domain.customs.states import State
from storefront.extensions import db
from storefront.models.customs import CustomsTaxBill
from storefront.queries.customs import deducted_tax, tax_bills_for
from storefront.services.customs_receipts import ingest
from storefront.tenancy import system_context, tenant_context
from tests.customs.test_tax_bill_parsing import ceb816, dxp, tax
from tests.services.test_customs_flow import collect_and_advance, declare, state_of
from tests.support import factories


def numbered(store, rule) -> None:
    """Give the store's order a number whose digit sum obeys `rule` (the sandbox's dice)."""
    n = next(n for n in range(1000) if rule(digit_sum(f"KJ20991231{n:010d}")))
    with tenant_context(store.tenant.id):
        store.order.number = f"KJ20991231{n:010d}"
        db.session.flush()


def bills_of(store, declaration_id: int) -> list[CustomsTaxBill]:
    with tenant_context(store.tenant.id):
        return db.session.scalars(
            select(CustomsTaxBill)
            .where(CustomsTaxBill.declaration_id == declaration_id)
            .order_by(CustomsTaxBill.return_time)
        ).all()


@pytest.mark.parametrize(
    ("rule", "deducted", "bills"),
    [
        (lambda s: s % 5 and s % 7, lambda tax: tax, 1),
        (lambda s: s % 5 == 0 and s % 7, lambda tax: tax - 1, 1),
        (lambda s: s % 7 == 0 and s % 5, lambda tax: (tax * D("0.8")).quantize(D("0.01")), 2),
    ],
)
def test_a_released_order_gets_its_tax_bill_stored(tenants, rule, deducted, bills):
    a = tenants.a
    numbered(a, rule)
    declaration_id = declare(a)
    collect_and_advance()  # 311/411/511 accepted, the inventory goes
    report = collect_and_advance()  # released; the bill(s) come after the 800
    declaration = state_of(a, declaration_id)
    assert declaration.state == State.RELEASED and report.unmatched == 0
    stored = bills_of(a, declaration_id)
    assert len(stored) == bills
    assert {bill.invt_no for bill in stored} == {declaration.invt_no}
    assert len({bill.tax_no for bill in stored}) == 1
    declared = a.order.tax_due
    assert declared > 0
    with tenant_context(a.tenant.id):
        assert deducted_tax(declaration_id) == deducted(declared)
    with tenant_context(tenants.b.tenant.id):
        assert db.session.scalar(select(func.count()).select_from(CustomsTaxBill)) == 0


@pytest.fixture
def numbered_declaration(tenants):
    with tenant_context(tenants.a.tenant.id):
        row = factories.customs_declaration(
            tenants.a.order, State.RELEASED, invt_no="224420261000000009"
        )
        db.session.commit()
    return row.id


INVT = "224420261000000009"


def test_bills_are_matched_by_invt_no_and_kept_once(tenants, numbered_declaration):
    files = [
        ("a.xml", ceb816(tax(invt_no=INVT))),
        ("a_copy.xml", dxp(ceb816(tax(invt_no=INVT)))),
        ("other.xml", ceb816(tax(invt_no="224420261000000999", tax_no="T9"))),
    ]
    first = ingest(files)
    assert (first.files, first.tax_bills, first.tax_bills_stored) == (3, 3, 1)
    assert (first.duplicates, first.unmatched, first.receipts) == (1, 1, 0)
    again = ingest(files)
    assert (again.tax_bills_stored, again.duplicates, again.unmatched) == (0, 2, 1)
    (bill,) = bills_of(tenants.a, numbered_declaration)
    assert (bill.tax_no, bill.total, bill.file_name) == ("T1", D("50.00"), "a.xml")
    assert isinstance(bill.value_added_tax, D)


@pytest.mark.parametrize(
    ("later", "deducted", "refunded"),
    [
        ([], "50.00", "0"),
        ([tax(invt_no=INVT, vat="30", ct="10", time="20260302000000000")], "40.00", "10.00"),
        ([tax(invt_no=INVT, status="3", time="20260302000000000")], "0", "50.00"),
        # an older bill arriving late does not replace the newer one
        ([tax(invt_no=INVT, vat="60", ct="0", time="20260201000000000")], "50.00", "10.00"),
    ],
)
def test_the_latest_bill_of_a_number_is_what_customs_deducted(
    tenants, numbered_declaration, later, deducted, refunded
):
    ingest([("first.xml", ceb816(tax(invt_no=INVT)))])
    if later:
        ingest([("later.xml", ceb816(*later))])
    with tenant_context(tenants.a.tenant.id):
        assert deducted_tax(numbered_declaration) == D(deducted)
        bills = [bill.as_bill() for bill in tax_bills_for(numbered_declaration)]
    assert tax_refunded(bills) == D(refunded)


def test_no_bill_no_deduction_and_totals_stay_in_their_store(tenants, numbered_declaration):
    with tenant_context(tenants.a.tenant.id):
        assert deducted_tax(numbered_declaration) is None
    ingest([("first.xml", ceb816(tax(invt_no=INVT)))])
    with tenant_context(tenants.b.tenant.id):
        assert tax_bills_for(numbered_declaration) == []
        assert deducted_tax(numbered_declaration) is None
    with system_context():
        assert len(tax_bills_for(numbered_declaration)) == 1
