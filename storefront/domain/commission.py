"""Commission arithmetic (返佣, SPEC §5): what a referred order earns, and what a refund takes
back. Rates are percents; the product's rate overrides the store's."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from storefront.domain.money import round_money

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class CommissionLine:
    amount: Decimal
    product_rate: Decimal | None  # None: the store's rate applies


@dataclass(frozen=True)
class Commission:
    base: Decimal
    rate: Decimal  # the effective percent over the base
    amount: Decimal


def earned(
    lines: Sequence[CommissionLine],
    store_rate: Decimal,
    goods_total: Decimal,
    total: Decimal,
    refunded: Decimal,
) -> Commission | None:
    """Return what a completed order earns, or None; a part already refunded earns nothing."""
    if not total:
        return None
    gross = (
        sum(
            (
                line.amount * (store_rate if line.product_rate is None else line.product_rate)
                for line in lines
            ),
            Decimal(0),
        )
        / HUNDRED
    )
    kept = (total - refunded) / total
    amount, base = round_money(gross * kept), round_money(goods_total * kept)
    if amount <= 0:
        return None
    return Commission(base=base, rate=round_money(amount / base * HUNDRED), amount=amount)


def reversed_for(commission: Commission, refunded: Decimal, total: Decimal) -> Commission:
    """Return the (negative) commission taken back when `refunded` of `total` is refunded."""
    share = min(refunded / total, Decimal(1))
    return Commission(
        base=-round_money(commission.base * share),
        rate=commission.rate,
        amount=-round_money(commission.amount * share),
    )
