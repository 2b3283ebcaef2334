"""Discount lines (seed 003 注意事项 2): their names, the goods lines each covers, and folding
them back into those lines for a red invoice."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from storefront.domain.invoices.errors import InvalidDraft, Problem
from storefront.domain.money import rate_from_percent, round_money, round_percent

if TYPE_CHECKING:
    from storefront.domain.invoices.lines import InvoiceLine

GOODS = "goods"
DISCOUNT = "discount"
# "折扣(X.XXX%)" under one line, "折扣行数Y(X.XXX%)" under Y adjacent lines (注意事项 2).
NAME = re.compile(r"折扣(?:行数(?P<count>[1-9][0-9]{0,5}))?\((?P<percent>[0-9]{1,3}\.[0-9]{3})%\)")

Figures = tuple[Decimal, Decimal]  # (amount, tax), both excluding the other


def discount_name(count: int, percent: Decimal) -> str:
    """Name the discount line of `count` goods lines at `percent` (shown with 3 decimals)."""
    shown = f"{round_percent(percent):f}"
    return f"折扣({shown}%)" if count == 1 else f"折扣行数{count}({shown}%)"


def parse_discount_name(name: str) -> tuple[int, Decimal]:
    """Return how many goods lines a discount line covers and its percent."""
    match = NAME.fullmatch(name)
    if not match:
        raise InvalidDraft(Problem.DISCOUNT_NAME, f"not a discount line's name: {name!r}")
    return int(match["count"] or 1), Decimal(match["percent"])


def runs(
    lines: Sequence[InvoiceLine],
) -> Iterator[tuple[tuple[InvoiceLine, ...], InvoiceLine | None]]:
    """Split the lines into runs of goods lines, each followed by the discount line covering
    all of them or by None; raise InvalidDraft when a discount line is out of place."""
    waiting: list[InvoiceLine] = []
    for line in lines:
        if line.kind == GOODS:
            waiting.append(line)
            continue
        if line.kind != DISCOUNT:
            raise InvalidDraft(Problem.KIND, f"a line is goods or discount, not {line.kind!r}")
        count, _ = parse_discount_name(line.name)
        if count > len(waiting):
            raise InvalidDraft(
                Problem.DISCOUNT_PLACE,
                f"{line.name} covers {count} goods line(s) but follows {len(waiting)} undiscounted",
            )
        if len(waiting) > count:
            yield tuple(waiting[:-count]), None
        covered = tuple(waiting[-count:])
        if any(goods.tax_rate != line.tax_rate for goods in covered):
            raise InvalidDraft(Problem.DISCOUNT_RATE, f"{line.name} has another tax rate")
        yield covered, line
        waiting = []
    if waiting:
        yield tuple(waiting), None


def fold(goods: Sequence[Figures], discount: Figures, percent: Decimal) -> list[Figures]:
    """Fold a discount (amount and tax as positive figures) back into the goods lines it
    covers, in invoice order, as 注意事项 2 says for a red invoice.

    Every line but the first (the farthest from the discount line, 注意事项 2.3b) gives back
    its amount and its tax times the rate, each rounded to the fen (2.2a-b); the first gives
    back what remains of the discount (2.2c). With one line that is the whole discount (2.1a).
    """
    share = rate_from_percent(percent)
    given = [(round_money(amount * share), round_money(tax * share)) for amount, tax in goods[1:]]
    rest_amount = discount[0] - sum((amount for amount, _ in given), Decimal(0))
    rest_tax = discount[1] - sum((tax for _, tax in given), Decimal(0))
    first_amount, first_tax = goods[0]
    folded = [(first_amount - rest_amount, first_tax - rest_tax)]
    folded += [
        (amount - back, tax - tax_back)
        for (amount, tax), (back, tax_back) in zip(goods[1:], given, strict=True)
    ]
    return folded
