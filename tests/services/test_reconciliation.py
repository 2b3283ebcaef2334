"""Reconciliation (SPEC §8, issue 12): the seed's two records of every cleared order, every
mismatch kind found, reproducible runs, a late tax bill shown as a change, tenant isolation,
and a run whose statements do not grow with the number of orders."""

from decimal import Decimal

import pytest
from sqlalchemy import event, select

from storefront.extensions import db
from storefront.models import Payment
from storefront.models.reconciliation import Kind, Party, ReconMismatch, ReconRecord
from storefront.services import reconciliation
from storefront.services.reconciliation_matching import DATA_FIELDS
from storefront.tenancy import tenant_context
from tests.support import reconciliation as scenario
from tests.support.reconciliation import DAY, NOW

# seed 004 [0018] and [0019], field by field, and where each is kept
SEED_0018 = {
    "订单号": "order_number",
    "支付流水号": "payment_serial",
    "运单号": "waybill_number",
    "报备流水号": "filing_serial",
    "提交订单时间": "ordered_at",
    "支付平台处理时间": "paid_at",
    "支付总金额": "total_paid",
    "商品金额": "goods_amount",
    "结算外汇币种": "settlement_currency",
    "结算外汇金额": "settlement_amount",
    "购汇汇率": "exchange_rate",
    "预扣关税": "tax_withheld",
    "运费金额": "freight",
    "运费币种": "freight_currency",
    "商品及运费金额": "goods_and_freight",
    "姓名": "buyer_name",
}
SEED_0019 = {
    "订单号": "order_number",
    "支付流水号": "payment_serial",
    "运单号": "waybill_number",
    "报备流水号": "filing_serial",
    "提交订单时间": "ordered_at",
    "海关实扣时间": "deducted_at",
    "预扣关税": "tax_withheld",
    "实扣关税": "tax_deducted",
    "退个人关税金额": "tax_refunded",
    "支付平台处理时间": "paid_at",
    "姓名": "buyer_name",
}


def run(store, now=NOW):
    return reconciliation.run(store.tenant.id, DAY, DAY, "finance@test", now=now)


def records(store) -> dict[str, ReconRecord]:
    with tenant_context(store.tenant.id):
        db.session.expire_all()
        return {r.order_number: r for r in db.session.scalars(select(ReconRecord))}


def mismatches(store) -> dict[tuple[str, str], ReconMismatch]:
    with tenant_context(store.tenant.id):
        db.session.expire_all()
        rows = db.session.scalars(select(ReconMismatch))
        return {(m.kind, m.subject): m for m in rows}


def payment_of(store, order) -> Payment:
    with tenant_context(store.tenant.id):
        return db.session.scalar(select(Payment).where(Payment.checkout_id == order.checkout_id))


def test_both_records_hold_every_field_of_the_seed(tenants):
    from storefront.queries.reconciliation import TAX, TRANSACTION

    a = tenants.a
    order, declaration = scenario.released(a)
    summary = run(a)
    assert (summary.orders, summary.matched) == (1, 1)
    assert [field for field, _title in TRANSACTION] == list(SEED_0018.values())
    assert [field for field, _title in TAX] == list(SEED_0019.values())
    record = records(a)[order.number]
    expected = {
        "order_number": order.number,
        "waybill_number": declaration.waybill_number,
        "filing_serial": declaration.invt_no,
        "ordered_at": order.placed_at,
        "paid_at": scenario.PAID_AT,
        "total_paid": Decimal("877.45"),
        "goods_amount": Decimal("800.00"),
        "settlement_currency": "CNY",
        "settlement_amount": Decimal("877.45"),
        "tax_withheld": Decimal("77.45"),
        "freight": Decimal("0.00"),
        "freight_currency": "CNY",
        "goods_and_freight": Decimal("800.00"),
        "buyer_name": "张三",
        "tax_deducted": Decimal("77.45"),
        "tax_refunded": Decimal("0.00"),
    }
    assert {name: getattr(record, name) for name in expected} == expected
    assert record.payment_serial == payment_of(a, order).serial_number
    # 15:00 China time on the bill's returnTime is 07:00 UTC
    assert record.deducted_at.isoformat() == "2026-11-22T07:00:00+00:00"
    assert record.exchange_rate is None  # the yuan payment returned no rate
    assert mismatches(a) == {}


def test_every_mismatch_kind_is_produced_and_found(tenants):
    a = tenants.a
    underpaid, _ = scenario.released(a, paid=Decimal("800.00"))
    taxed, declaration = scenario.released(a, bill=False)
    with tenant_context(a.tenant.id):
        scenario.tax_bill(declaration, Decimal("70.00"))
    refunded, _ = scenario.released(a, refunded=Decimal("877.45"))
    unsettled, _ = scenario.released(a, settled=False)
    unanswered = scenario.paid_unanswered(a)
    with tenant_context(a.tenant.id):
        scenario.settle(a.tenant.id, "pi_nobody_knows", Decimal("12.00"))
    last_settlement = next(scenario._seq) - 1
    summary = run(a)
    found = mismatches(a)
    assert {kind for kind, _subject in found} == set(Kind)
    assert summary.mismatches == {kind.value: 1 for kind in Kind}
    assert summary.orders == 4 and summary.matched == 0

    paid = found[(Kind.PAID_NOT_DECLARED, underpaid.number)]
    assert (paid.expected, paid.actual, paid.difference) == (
        Decimal("877.45"),
        Decimal("800.00"),
        Decimal("-77.45"),
    )
    tax = found[(Kind.TAX_DIFFERS, taxed.number)]
    assert (tax.expected, tax.actual, tax.difference) == (
        Decimal("77.45"),
        Decimal("70.00"),
        Decimal("-7.45"),
    )
    assert (tax.owed_by, tax.owed_to) == (Party.MERCHANT, Party.BUYER)
    assert found[(Kind.REFUND_NOT_DECLARED, refunded.number)].actual == Decimal("877.45")
    assert (Kind.SETTLEMENT_MISSING, payment_of(a, unsettled).reference) in found
    assert (Kind.NO_RECEIPT, unanswered.number) in found
    assert found[(Kind.PAYMENT_WITHOUT_ORDER, "txn_test_" + str(last_settlement))]
    assert summary.line().startswith("4 orders, 0 matched; mismatches: paid_not_declared 1")


def test_customs_deducting_more_makes_the_buyer_owe_the_merchant(tenants):
    a = tenants.a
    order, declaration = scenario.released(a, bill=False)
    with tenant_context(a.tenant.id):
        scenario.tax_bill(declaration, Decimal("80.00"))
    run(a)
    tax = mismatches(a)[(Kind.TAX_DIFFERS, order.number)]
    assert tax.difference == Decimal("2.55")
    assert (tax.owed_by, tax.owed_to) == (Party.BUYER, Party.MERCHANT)


def test_an_order_answered_or_too_recent_is_no_receipt_mismatch(tenants):
    a = tenants.a
    scenario.paid_unanswered(a)
    run(a, now=scenario.PAID_AT.replace(day=24))  # 2 days after payment: within 3 days
    assert not [k for k, _s in mismatches(a) if k == Kind.NO_RECEIPT]
    run(a)
    assert [k for k, _s in mismatches(a) if k == Kind.NO_RECEIPT]


def test_the_same_period_twice_gives_the_same_records(tenants):
    a = tenants.a
    for _ in range(3):
        scenario.released(a)
    scenario.released(a, paid=Decimal("1.00"))
    first = run(a)
    before = {
        n: [getattr(r, f) for f in (*DATA_FIELDS, "changed_run_id")] for n, r in records(a).items()
    }
    found_before = {key: (m.id, m.first_run_id) for key, m in mismatches(a).items()}
    second = run(a)
    after = {
        n: [getattr(r, f) for f in (*DATA_FIELDS, "changed_run_id")] for n, r in records(a).items()
    }
    assert after == before
    assert (second.orders, second.matched, second.mismatches) == (
        first.orders,
        first.matched,
        first.mismatches,
    )
    assert {key: (m.id, m.first_run_id) for key, m in mismatches(a).items()} == found_before
    assert all(m.last_run_id == second.runs[0] for m in mismatches(a).values())


def test_a_late_tax_bill_changes_the_record_and_shows_as_a_change(tenants):
    a = tenants.a
    order, declaration = scenario.released(a, bill=False)
    first = run(a)
    record = records(a)[order.number]
    assert record.tax_deducted is None and record.changed_run_id == first.runs[0]
    with tenant_context(a.tenant.id):
        scenario.tax_bill(declaration, Decimal("77.45"))
        # a second bill of the same number, later: 20 % given back to the buyer
        scenario.tax_bill(declaration, Decimal("61.96"), return_time="20261125090000000")
    second = run(a)
    record = records(a)[order.number]
    assert record.changed_run_id == second.runs[0]
    assert set(record.changes.rstrip(",").split(",")) == {
        "deducted_at",
        "tax_deducted",
        "tax_refunded",
    }
    assert (record.tax_deducted, record.tax_refunded) == (Decimal("61.96"), Decimal("15.49"))
    assert mismatches(a)[(Kind.TAX_DIFFERS, order.number)].difference == Decimal("-15.49")


def test_a_fixed_mismatch_is_cleared_and_a_resolution_is_kept(tenants):
    a = tenants.a
    order, _ = scenario.released(a, settled=False)
    run(a)
    (key,) = [k for k in mismatches(a) if k[0] == Kind.SETTLEMENT_MISSING]
    mismatch_id = mismatches(a)[key].id
    with tenant_context(a.tenant.id):
        reconciliation.resolve(mismatch_id, "finance@test", "  Settled by hand on the 23rd ")
    payment = payment_of(a, order)
    with tenant_context(a.tenant.id):
        scenario.settle(a.tenant.id, payment.reference, payment.amount)
    latest = run(a)
    kept = mismatches(a)[key]
    assert kept.cleared_run_id == latest.runs[0]
    assert (kept.resolved_by, kept.note) == ("finance@test", "Settled by hand on the 23rd")
    assert kept.resolved_at is not None


def test_a_second_resolution_is_refused_and_the_first_is_kept(tenants):
    a = tenants.a
    with tenant_context(a.tenant.id):
        mismatch_id = scenario.mismatch(a)
        reconciliation.resolve(mismatch_id, "first@test", "Settled by hand")
        with pytest.raises(reconciliation.AlreadyResolved):
            reconciliation.resolve(mismatch_id, "second@test", "Written over")
        db.session.expire_all()
        kept = db.session.get(ReconMismatch, mismatch_id)
        assert (kept.resolved_by, kept.note) == ("first@test", "Settled by hand")


def test_a_run_of_one_store_sees_and_writes_nothing_of_another(tenants):
    a, b = tenants.a, tenants.b
    scenario.released(a)
    b_order, _ = scenario.released(b, paid=Decimal("1.00"))
    run(a)
    assert records(b) == {} and mismatches(b) == {}
    assert b_order.number not in records(a)
    everyone = reconciliation.run(None, DAY, DAY, "operator", now=NOW)
    assert everyone.orders == 2 and len(everyone.runs) >= 2
    assert set(records(b)) == {b_order.number}
    assert (Kind.PAID_NOT_DECLARED, b_order.number) in mismatches(b)
    assert all(k[1] != b_order.number for k in mismatches(a))


def count_statements(store) -> int:
    seen = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "SELECT SET_CONFIG")):
            seen.append(statement)

    engine = db.session.get_bind().engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        run(store)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def test_the_runs_statements_do_not_grow_with_the_orders(tenants):
    a = tenants.a
    scenario.released(a)
    small = count_statements(a)
    for _ in range(8):
        scenario.released(a)
    scenario.released(a, paid=Decimal("3.00"))
    scenario.paid_unanswered(a)
    assert count_statements(a) == small
    assert small <= 15


def test_an_exchange_rate_keeps_its_six_decimals_into_the_record(tenants):
    a = tenants.a
    order, _declaration = scenario.released(a)
    with tenant_context(a.tenant.id):
        payment_of(a, order).exchange_rate = Decimal("7.123456")
        db.session.commit()
    run(a)
    record = records(a)[order.number]
    assert record.exchange_rate == Decimal("7.123456")
    assert record.settlement_amount == Decimal("123.18")  # 877.45 ÷ 7.123456, to the fen
