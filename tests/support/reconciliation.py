"""Orders in each reconciliation situation: released with payment, receipts, tax bill and the
provider's settlement, and the variations that make each mismatch kind."""

import itertools
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from storefront.extensions import db
from storefront.models import Order
from storefront.models.customs import CustomsTaxBill
from storefront.models.payments import ProviderSettlement
from storefront.models.reconciliation import Kind, ReconMismatch, ReconRun
from storefront.tenancy import tenant_context
from tests.support import factories

DAY = date(2026, 11, 22)
# 10:00 China time on DAY: inside the period of DAY
RELEASED_AT = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
PAID_AT = datetime(2026, 11, 22, 1, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 30, 4, 0, tzinfo=UTC)
_seq = itertools.count(1)


def settle(tenant_id: int, reference: str | None, amount: Decimal, at=PAID_AT) -> None:
    """The provider's record of a charge (pulled from its balance)."""
    n = next(_seq)
    db.session.add(
        ProviderSettlement(
            provider="stripe",
            account_tenant_id=tenant_id,
            transaction_id=f"txn_test_{n}",
            type="charge",
            source=f"ch_test_{n}",
            payment_reference=reference,
            amount=amount,
            fee=Decimal("0.00"),
            net=amount,
            currency="CNY",
            created_at=at,
        )
    )
    db.session.flush()


def tax_bill(declaration, tax: Decimal, return_time: str = "20261122150000000", **values):
    """Customs' tax bill of the declaration: VAT and consumption tax adding up to `tax`."""
    vat = (tax / 2).quantize(Decimal("0.01"))
    row = CustomsTaxBill(
        declaration_id=declaration.id,
        invt_no=declaration.invt_no,
        tax_no=values.pop("tax_no", f"{declaration.invt_no}001"),
        customs_tax=Decimal("0"),
        value_added_tax=vat,
        consumption_tax=tax - vat,
        status=values.pop("status", "1"),
        return_time=return_time,
        **values,
    )
    db.session.add(row)
    db.session.flush()
    return row


def released(store, *, paid=None, bill=True, settled=True, refunded=None, received=True):
    """A shipped order of the store that customs released on DAY; returns (order, declaration)."""
    with tenant_context(store.tenant.id):
        order = factories.order(
            store.shopper, store.product, store.address, store.identity, status="shipped"
        )
        order.paid_at = PAID_AT
        if refunded is not None:
            order.refunded = refunded
        payment = factories.payment(order)
        payment.paid_at = PAID_AT
        if paid is not None:
            payment.amount = paid
        n = next(_seq)
        declaration = factories.customs_declaration(
            order,
            state="released",
            released_at=RELEASED_AT,
            waybill_number=f"SF{n:010d}",
            pre_no=f"P{n:017d}",
            invt_no=f"2244{n:014d}",
        )
        if received:
            document = factories.customs_document(declaration, kind="621", status="accepted")
            factories.customs_receipt(document, "800", "20261122100000000")
        if bill:
            tax_bill(declaration, order.tax_due)
        if settled:
            settle(store.tenant.id, payment.reference, payment.amount)
        db.session.flush()
        return order, declaration


def paid_unanswered(store, days_ago: int = 5) -> Order:
    """A cross-border order paid DAY, declared but never answered by customs."""
    with tenant_context(store.tenant.id):
        order = factories.order(store.shopper, store.product, store.address, store.identity)
        order.paid_at = PAID_AT
        payment = factories.payment(order)
        payment.paid_at = PAID_AT
        factories.customs_document(factories.customs_declaration(order))
        settle(store.tenant.id, payment.reference, payment.amount)
        db.session.flush()
        return order


def before(days: int) -> datetime:
    return NOW - timedelta(days=days)


def mismatch(store) -> int:
    """An open mismatch of the store (in its tenant context), found by a run of DAY."""
    run = ReconRun(period_from=DAY, period_to=DAY, run_at=NOW, who="test", counts={})
    db.session.add(run)
    db.session.flush()
    row = ReconMismatch(
        kind=Kind.SETTLEMENT_MISSING,
        subject=f"pi_test_missing_{next(_seq)}",
        subject_at=PAID_AT,
        expected=Decimal("877.45"),
        first_run_id=run.id,
        last_run_id=run.id,
    )
    db.session.add(row)
    db.session.flush()
    return row.id
