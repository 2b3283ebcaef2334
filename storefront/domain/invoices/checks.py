"""The rules every draft keeps (seed 003 注意事项 1-4, SPEC §7): tolerances, sums, signs and
the place, rate and size of discount lines; `problems` reports all that are broken at once."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from storefront.domain.invoices.discounts import DISCOUNT, GOODS, fold, parse_discount_name, runs
from storefront.domain.invoices.errors import InvalidDraft, Problem
from storefront.domain.money import (
    HUNDRED,
    ZERO,
    rate_from_percent,
    round_money,
    round_percent,
    round_unit_price,
)

if TYPE_CHECKING:
    from storefront.domain.invoices.lines import Draft, InvoiceLine

# 注意事项 3: 商品行最大允许误差 and 单张发票允许最大误差.
LINE_PRICE_TOLERANCE = Decimal("0.01")
LINE_TAX_TOLERANCE = Decimal("0.06")
INVOICE_TAX_TOLERANCE = Decimal("1.27")
KINDS = ("blue", "red")


def line_tax_gap(amount: Decimal, tax: Decimal, tax_rate: Decimal) -> Decimal:
    """Return |amount × rate − tax| of a line, the rate in percent."""
    return abs(amount * rate_from_percent(tax_rate) - tax)


def problems(draft: Draft) -> tuple[Problem, ...]:
    """Return every rule the draft breaks, each once, in the order Problem lists them."""
    found: set[Problem] = set()
    if not draft.lines:
        found.add(Problem.NO_LINES)
    if draft.kind not in KINDS:
        found.add(Problem.KIND)
    for line in draft.lines:
        found.update(_line_problems(line, draft.kind))
    found.update(_total_problems(draft))
    found.update(_discount_problems(draft))
    return tuple(problem for problem in Problem if problem in found)


def _line_problems(line: InvoiceLine, kind: str) -> Iterable[Problem]:
    if line.kind not in (GOODS, DISCOUNT):
        return {Problem.KIND}
    found = set()
    exact = round_money(line.amount) == line.amount and round_money(line.tax) == line.tax
    price = line.unit_price
    if not exact or (price is not None and round_unit_price(price) != price):
        found.add(Problem.PRECISION)
    if line_tax_gap(line.amount, line.tax, line.tax_rate) > LINE_TAX_TOLERANCE:
        found.add(Problem.LINE_TAX)
    priced = price is not None and line.quantity is not None
    if priced and abs(price * line.quantity - line.amount) > LINE_PRICE_TOLERANCE:
        found.add(Problem.LINE_PRICE)
    if kind in KINDS and not _signs_hold(line, kind):
        found.add(Problem.LINE_SIGN)
    return found


def _signs_hold(line: InvoiceLine, kind: str) -> bool:
    """Goods lines: both quantity and unit price or neither (注意事项 2.1c), the unit price never
    negative, quantity, amount and tax positive on blue and negative on red (注意事项 1);
    discount lines: neither, a negative amount and a tax not above 0 (注意事项 2)."""
    if not 0 <= line.tax_rate < HUNDRED:
        return False
    if line.kind == DISCOUNT:
        return line.quantity is None and line.unit_price is None and line.amount < 0 >= line.tax
    if (line.quantity is None) != (line.unit_price is None):
        return False
    sign = 1 if kind == "blue" else -1
    quantity_holds = line.quantity is None or line.quantity * sign > 0
    price_holds = line.unit_price is None or line.unit_price >= 0
    return quantity_holds and price_holds and line.amount * sign >= 0 and line.tax * sign >= 0


def _total_problems(draft: Draft) -> Iterable[Problem]:
    found = set()
    if draft.total_amount != sum((line.amount for line in draft.lines), ZERO):
        found.add(Problem.TOTAL_AMOUNT)
    if draft.total_tax != sum((line.tax for line in draft.lines), ZERO):
        found.add(Problem.TOTAL_TAX)
    if draft.total != draft.total_amount + draft.total_tax:
        found.add(Problem.TOTAL)
    owed = sum((line.amount * rate_from_percent(line.tax_rate) for line in draft.lines), ZERO)
    if abs(owed - sum((line.tax for line in draft.lines), ZERO)) > INVOICE_TAX_TOLERANCE:
        found.add(Problem.INVOICE_TAX)
    sign = {"blue": 1, "red": -1}.get(draft.kind, 0)
    if not (draft.total_amount * sign > 0 and draft.total * sign > 0):
        found.add(Problem.TOTAL_SIGN)
    return found


def _discount_problems(draft: Draft) -> Iterable[Problem]:
    found = set()
    try:
        for goods, discount in runs(draft.lines):
            if discount is None:
                continue
            if draft.kind == "red":
                found.add(Problem.DISCOUNT_IN_RED)
            elif draft.kind == "blue":
                found.update(_discount_run_problems(goods, discount))
    except InvalidDraft as error:
        found.add(error.code)
    return found


def _discount_run_problems(goods: tuple[InvoiceLine, ...], discount: InvoiceLine) -> set[Problem]:
    found = set()
    _, percent = parse_discount_name(discount.name)
    discounted = sum((line.amount + line.tax for line in goods), ZERO)
    off = -(discount.amount + discount.tax)
    if discounted <= 0 or round_percent(off / discounted * HUNDRED) != percent:
        found.add(Problem.DISCOUNT_PERCENT)
    figures = [(line.amount, line.tax) for line in goods]
    folded = fold(figures, (-discount.amount, -discount.tax), percent)
    if any(amount < 0 or tax < 0 for amount, tax in folded):
        found.add(Problem.DISCOUNT_EXCEEDS)
    return found
