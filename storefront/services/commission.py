"""Commission (返佣): promoters refer shoppers; completed orders earn, refunds reverse."""

import secrets
from decimal import Decimal

from sqlalchemy import select

from storefront.domain.commission import Commission, CommissionLine, earned, reversed_for
from storefront.extensions import db
from storefront.models import CommissionRecord, Order, Product, Promoter, Shopper, Tenant


def become_promoter(shopper: Shopper) -> Promoter:
    """Give the shopper a referral code (once)."""
    existing = db.session.scalar(select(Promoter).where(Promoter.shopper_id == shopper.id))
    if existing:
        return existing
    promoter = Promoter(shopper_id=shopper.id, code=secrets.token_hex(4).upper())
    db.session.add(promoter)
    db.session.commit()
    return promoter


def referring_promoter(code: str | None, buyer: Shopper) -> Promoter | None:
    """Return the promoter behind a referral code, never the buyer themself."""
    if not code:
        return None
    promoter = db.session.scalar(select(Promoter).where(Promoter.code == code.upper()))
    return promoter if promoter and promoter.shopper_id != buyer.id else None


def earn(order: Order) -> CommissionRecord | None:
    """Record the commission of a completed, referred order (product rate over store rate)."""
    if order.promoter_id is None or _records(order):
        return None
    store_rate = db.session.scalar(
        select(Tenant.commission_rate).where(Tenant.id == order.tenant_id)
    )
    rates = dict(
        db.session.execute(
            select(Product.id, Product.commission_rate).where(
                Product.id.in_([line.product_id for line in order.lines])
            )
        ).all()
    )
    lines = [CommissionLine(line.amount, rates.get(line.product_id)) for line in order.lines]
    commission = earned(lines, store_rate, order.goods_total, order.total, order.refunded)
    return _write(order, commission, "earned") if commission else None


def reverse(order: Order, refunded: Decimal) -> CommissionRecord | None:
    """Reverse the commission of a refunded part of a completed order."""
    first = next((r for r in _records(order) if r.kind == "earned"), None)
    if first is None or not order.total:
        return None
    commission = Commission(base=first.base, rate=first.rate, amount=first.amount)
    return _write(order, reversed_for(commission, refunded, order.total), "reversed")


def _write(order: Order, commission: Commission, kind: str) -> CommissionRecord:
    record = CommissionRecord(
        promoter_id=order.promoter_id,
        order_id=order.id,
        base=commission.base,
        rate=commission.rate,
        amount=commission.amount,
        kind=kind,
    )
    db.session.add(record)
    return record


def _records(order: Order) -> list[CommissionRecord]:
    return db.session.scalars(
        select(CommissionRecord).where(CommissionRecord.order_id == order.id)
    ).all()
