"""The reconciliation run's mismatch statements: one INSERT ... SELECT upsert per kind (issue
12: paid != declared, tax withheld != deducted, a payment with no order, no receipt after N
days, a refund not reflected in customs, a settlement missing), the clearing of those no
longer found and the run's counts. Each names its tenant (they run in system_context())."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import and_, case, exists, func, literal, null, select, update

from storefront.models import CustomsDeclaration, CustomsReceipt, Order, Payment
from storefront.models.payments import ProviderSettlement
from storefront.models.reconciliation import Kind, Party, ReconMismatch, ReconRecord
from storefront.services.reconciliation_matching import (
    PAID,
    Scope,
    insert_for,
    released_in,
    text_value,
)


def _records(scope: Scope):
    return and_(
        ReconRecord.tenant_id == scope.tenant_id,
        ReconRecord.released_at >= scope.start,
        ReconRecord.released_at < scope.end,
    )


def _within(column, scope: Scope):
    return and_(column >= scope.start, column < scope.end)


def _mismatch_columns(scope: Scope, kind: Kind) -> dict:
    return {
        "tenant_id": literal(scope.tenant_id),
        "kind": text_value(kind),
        "first_run_id": literal(scope.run_id),
        "last_run_id": literal(scope.run_id),
        "note": text_value(""),
    }


def _upsert_mismatches(scope: Scope, kind: Kind, rows: dict, source):
    """Insert or refresh one kind's mismatches: seen again by this run, and open again if an
    earlier run had found them gone."""
    columns = {**_mismatch_columns(scope, kind), **rows}
    selected = select(*(value.label(name) for name, value in columns.items()))
    selected = source(selected)
    statement = insert_for(scope, ReconMismatch.__table__).from_select(list(columns), selected)
    refreshed = [name for name in rows if name not in ("subject",)]
    new = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=["tenant_id", "kind", "subject"],
        set_={
            **{name: new[name] for name in refreshed},
            "last_run_id": scope.run_id,
            "cleared_run_id": null(),
        },
    )


def paid_not_declared(scope: Scope):
    """The order's share of the payment differs from the total it declared: the 411's
    amountPaid is the order's total (customs_facts.order_declaration)."""
    declared = ReconRecord.goods_and_freight + ReconRecord.tax_withheld
    rows = {
        "subject": ReconRecord.order_number,
        "subject_at": ReconRecord.released_at,
        "order_id": ReconRecord.order_id,
        "expected": declared,
        "actual": ReconRecord.total_paid,
        "difference": ReconRecord.total_paid - declared,
        "owed_by": null(),
        "owed_to": null(),
    }
    return _upsert_mismatches(
        scope,
        Kind.PAID_NOT_DECLARED,
        rows,
        lambda s: s.where(_records(scope), ReconRecord.total_paid.is_distinct_from(declared)),
    )


def tax_differs(scope: Scope):
    """Customs deducted another tax than the buyer paid: more, and the buyer owes the merchant
    (who stood surety for it); less, and the merchant owes the buyer the rest (seed 004
    [0019] 退个人关税金额)."""
    difference = ReconRecord.tax_deducted - ReconRecord.tax_withheld
    more = difference > 0
    rows = {
        "subject": ReconRecord.order_number,
        "subject_at": ReconRecord.released_at,
        "order_id": ReconRecord.order_id,
        "expected": ReconRecord.tax_withheld,
        "actual": ReconRecord.tax_deducted,
        "difference": difference,
        "owed_by": case((more, text_value(Party.BUYER)), else_=text_value(Party.MERCHANT)),
        "owed_to": case((more, text_value(Party.MERCHANT)), else_=text_value(Party.BUYER)),
    }
    return _upsert_mismatches(
        scope,
        Kind.TAX_DIFFERS,
        rows,
        lambda s: s.where(
            _records(scope),
            ReconRecord.tax_deducted.is_not(None),
            ReconRecord.tax_deducted != ReconRecord.tax_withheld,
        ),
    )


def payment_without_order(scope: Scope):
    """A charge the provider settled to this merchant that no payment of an order knows."""
    known = exists().where(
        Payment.tenant_id == scope.tenant_id,
        Payment.reference == ProviderSettlement.payment_reference,
        exists().where(Order.checkout_id == Payment.checkout_id),
    )
    rows = {
        "subject": ProviderSettlement.transaction_id,
        "subject_at": ProviderSettlement.created_at,
        "order_id": null(),
        "expected": null(),
        "actual": ProviderSettlement.amount,
        "difference": null(),
        "owed_by": null(),
        "owed_to": null(),
    }
    return _upsert_mismatches(
        scope,
        Kind.PAYMENT_WITHOUT_ORDER,
        rows,
        lambda s: s.where(
            ProviderSettlement.account_tenant_id == scope.tenant_id,
            ProviderSettlement.type == "charge",
            _within(ProviderSettlement.created_at, scope),
            ~known,
        ),
    )


def no_receipt(scope: Scope, cutoff: datetime):
    """A cross-border order paid before `cutoff` (RECON_RECEIPT_DAYS ago) that customs never
    answered: no receipt for any message of its declaration, or no declaration at all."""
    answered = (
        exists()
        .where(CustomsReceipt.declaration_id == CustomsDeclaration.id)
        .where(CustomsDeclaration.order_id == Order.id)
        .where(CustomsDeclaration.tenant_id == scope.tenant_id)
    )
    rows = {
        "subject": Order.number,
        "subject_at": Order.paid_at,
        "order_id": Order.id,
        "expected": null(),
        "actual": Order.total,
        "difference": null(),
        "owed_by": null(),
        "owed_to": null(),
    }
    return _upsert_mismatches(
        scope,
        Kind.NO_RECEIPT,
        rows,
        lambda s: s.where(
            Order.tenant_id == scope.tenant_id,
            Order.tax_tag.is_not(None),
            Order.status != "cancelled",
            _within(Order.paid_at, scope),
            Order.paid_at < cutoff,
            ~answered,
        ),
    )


def refund_not_declared(scope: Scope):
    """An order refunded after customs released it: the refund would need a CEB625 refund
    declaration, which this platform does not send, so it stays listed until resolved."""
    rows = {
        "subject": Order.number,
        "subject_at": CustomsDeclaration.released_at,
        "order_id": Order.id,
        "expected": literal(Decimal("0.00")),
        "actual": Order.refunded,
        "difference": Order.refunded,
        "owed_by": null(),
        "owed_to": null(),
    }
    return _upsert_mismatches(
        scope,
        Kind.REFUND_NOT_DECLARED,
        rows,
        lambda s: (
            s.select_from(CustomsDeclaration)
            .join(Order, Order.id == CustomsDeclaration.order_id)
            .where(released_in(scope), Order.tenant_id == scope.tenant_id, Order.refunded > 0)
        ),
    )


def settlement_missing(scope: Scope):
    """A payment confirmed in the period that the provider's pulled records do not hold."""
    settled = exists().where(ProviderSettlement.payment_reference == Payment.reference)
    rows = {
        "subject": Payment.reference,
        "subject_at": Payment.paid_at,
        # the checkout's first order: the order the finance staff look the payment up by
        "order_id": select(func.min(Order.id))
        .where(Order.checkout_id == Payment.checkout_id, Order.tenant_id == scope.tenant_id)
        .scalar_subquery(),
        "expected": Payment.amount,
        "actual": null(),
        "difference": null(),
        "owed_by": null(),
        "owed_to": null(),
    }
    return _upsert_mismatches(
        scope,
        Kind.SETTLEMENT_MISSING,
        rows,
        lambda s: s.where(
            Payment.tenant_id == scope.tenant_id,
            Payment.status.in_(PAID),
            Payment.reference.is_not(None),
            _within(Payment.paid_at, scope),
            ~settled,
        ),
    )


def clear_gone(scope: Scope):
    """Mark cleared what an earlier run found in the period and this one no longer finds."""
    return (
        update(ReconMismatch)
        .where(
            ReconMismatch.tenant_id == scope.tenant_id,
            _within(ReconMismatch.subject_at, scope),
            ReconMismatch.last_run_id != scope.run_id,
            ReconMismatch.cleared_run_id.is_(None),
        )
        .values(cleared_run_id=scope.run_id)
        .execution_options(synchronize_session=False)
    )


def counts(scope: Scope):
    """Select the period's records, those with no mismatch this run, and found per kind."""
    found = select(ReconMismatch.kind, func.count().label("n")).where(
        ReconMismatch.tenant_id == scope.tenant_id, ReconMismatch.last_run_id == scope.run_id
    )
    flagged = exists().where(
        ReconMismatch.tenant_id == scope.tenant_id,
        ReconMismatch.last_run_id == scope.run_id,
        ReconMismatch.order_id == ReconRecord.order_id,
    )
    records = select(
        func.count().label("orders"),
        func.coalesce(func.sum(case((flagged, 0), else_=1)), 0).label("matched"),
    ).where(_records(scope))
    return records, found.group_by(ReconMismatch.kind)
