"""Commission (返佣): promoters refer shoppers; completed orders earn, refunds reverse."""

import secrets
from decimal import Decimal

from sqlalchemy import select

from storefront.domain.money import round_money
from storefront.extensions import db
from storefront.models import CommissionRecord, Order, Product, Promoter, Shopper, Tenant

HUNDRED = Decimal(100)


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
    if order.promoter_id is None or _records(order) or not order.total:
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
    gross = sum(
        (
            line.amount * _rate(rates.get(line.product_id), store_rate) / HUNDRED
            for line in order.lines
        ),
        Decimal(0),
    )
    kept = (order.total - order.refunded) / order.total  # a part refunded earns nothing
    amount, base = round_money(gross * kept), round_money(order.goods_total * kept)
    if amount <= 0:
        return None
    record = CommissionRecord(
        promoter_id=order.promoter_id,
        order_id=order.id,
        base=base,
        rate=round_money(amount / base * HUNDRED),
        amount=amount,
        kind="earned",
    )
    db.session.add(record)
    return record


def reverse(order: Order, refunded: Decimal) -> CommissionRecord | None:
    """Reverse the commission of a refunded part of a completed order."""
    earned = [r for r in _records(order) if r.kind == "earned"]
    if not earned or not order.goods_total:
        return None
    share = min(refunded / order.total, Decimal(1))
    amount = round_money(earned[0].amount * share)
    record = CommissionRecord(
        promoter_id=order.promoter_id,
        order_id=order.id,
        base=-round_money(earned[0].base * share),
        rate=earned[0].rate,
        amount=-amount,
        kind="reversed",
    )
    db.session.add(record)
    return record


def _rate(product_rate: Decimal | None, store_rate: Decimal) -> Decimal:
    return product_rate if product_rate is not None else store_rate


def _records(order: Order) -> list[CommissionRecord]:
    return db.session.scalars(
        select(CommissionRecord).where(CommissionRecord.order_id == order.id)
    ).all()
