"""Invoice lines from order lines (seed 003 注意事项 2-4, SPEC §7): the blue draft with its
discount lines, and the red draft that reverses a blue one with its discounts folded back."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from storefront.domain.invoices.checks import LINE_TAX_TOLERANCE, line_tax_gap, problems
from storefront.domain.invoices.discounts import (
    DISCOUNT,
    GOODS,
    discount_name,
    fold,
    parse_discount_name,
    runs,
)
from storefront.domain.invoices.errors import InvalidDraft, Problem
from storefront.domain.money import (
    HUNDRED,
    ZERO,
    rate_from_percent,
    round_money,
    round_unit_price,
)

BLUE = "blue"
RED = "red"

__all__ = ["Draft", "InvoiceLine", "ItemIn", "draft_blue", "draft_red", "problems"]


@dataclass(frozen=True)
class ItemIn:
    """One order line as invoiced: prices and the discount include tax, the rate in percent."""

    name: str
    quantity: Decimal
    unit_price: Decimal
    tax_rate: Decimal
    discount: Decimal = Decimal("0.00")
    short_name: str = ""  # 税收分类简称: the line is named "*简称*名称"
    tax_code: str = ""  # 税收分类编码 (19 digits)
    spec: str = ""
    unit: str = ""


@dataclass(frozen=True)
class InvoiceLine:
    """One invoice line, excluding tax: a goods line or the discount line under goods lines."""

    kind: str  # "goods" | "discount"
    name: str
    quantity: Decimal | None  # None on discount lines; negative on red goods lines
    unit_price: Decimal | None  # at most 15 decimals; None on discount lines
    amount: Decimal  # 2 decimals; negative on discount lines and red invoices
    tax: Decimal  # 2 decimals
    tax_rate: Decimal  # percent
    spec: str = ""
    unit: str = ""
    tax_code: str = ""


@dataclass(frozen=True)
class Draft:
    """A blue or red invoice's lines and totals (total = amount + tax = the order's total)."""

    kind: str  # "blue" | "red"
    lines: tuple[InvoiceLine, ...]
    total_amount: Decimal
    total_tax: Decimal
    total: Decimal


def draft_blue(items: Sequence[ItemIn]) -> Draft:
    """Draft the blue invoice of an order's lines, each discount in a line right after it.

    A goods line's unit price excluding tax is the price ÷ (1 + rate) to 15 decimals, its
    amount the line's total ÷ (1 + rate) rounded half up to the fen, its tax the rest of the
    total (注意事项 3). A discounted line is followed by "折扣(X.XXX%)", X the discount ÷ the
    line's total. Adjacent lines of one tax rate and exactly one discount ratio below 100 %
    share one "折扣行数Y(X.XXX%)" line (the seed's optional 汇总) when folding it back as a red
    invoice would (discounts.fold) leaves every line non-negative and within 0.06 of its tax;
    otherwise each keeps its own discount line.
    """
    if not items:
        raise InvalidDraft(Problem.NO_LINES, "an invoice has at least one line")
    for number, item in enumerate(items, 1):
        _check_item(number, item)
    lines: list[InvoiceLine] = []
    for run in _shared_discounts(items):
        lines.extend(_blue_run(run))
    return _draft(BLUE, lines)


def draft_red(blue: Draft) -> Draft:
    """Draft the red invoice reversing a blue one (注意事项 1-2): every goods line with a
    negative quantity, a positive unit price and negative amount and tax, its discount folded
    back (discounts.fold) and its unit price recomputed from the folded amount."""
    if blue.kind != BLUE:
        raise InvalidDraft(Problem.NOT_BLUE, f"only a blue invoice is reversed, not {blue.kind!r}")
    broken = problems(blue)
    if broken:
        raise InvalidDraft(broken[0], f"the blue invoice breaks: {', '.join(broken)}")
    lines: list[InvoiceLine] = []
    for goods, discount in runs(blue.lines):
        if discount is None:
            lines.extend(_reversed(line, line.amount, line.tax, line.unit_price) for line in goods)
            continue
        _, percent = parse_discount_name(discount.name)
        figures = [(line.amount, line.tax) for line in goods]
        folded = fold(figures, (-discount.amount, -discount.tax), percent)
        for line, (amount, tax) in zip(goods, folded, strict=True):
            lines.append(_reversed(line, amount, tax, _unit_price(amount, line.quantity)))
    return _draft(RED, lines)


def _check_item(number: int, item: ItemIn) -> None:
    values = (item.quantity, item.unit_price, item.tax_rate, item.discount)
    if not item.name.strip() or not all(value.is_finite() for value in values):
        raise InvalidDraft(Problem.BAD_ITEM, f"line {number}: a name and finite numbers")
    if item.quantity <= 0 or item.unit_price < 0 or not 0 <= item.tax_rate < HUNDRED:
        raise InvalidDraft(
            Problem.BAD_ITEM,
            f"line {number}: quantity above 0, price at least 0, tax rate from 0 to below 100",
        )
    if not ZERO <= item.discount <= _total(item) or round_money(item.discount) != item.discount:
        raise InvalidDraft(
            Problem.BAD_DISCOUNT,
            f"line {number}: a discount is whole fen from 0 to the line's total {_total(item)}",
        )


def _total(item: ItemIn) -> Decimal:
    # The order charges each line to the fen, half up; the invoice totals what it charged.
    return round_money(item.unit_price * item.quantity)


def _shared_discounts(items: Sequence[ItemIn]) -> list[list[ItemIn]]:
    """Group adjacent items that may share a discount line: one tax rate, one exact ratio."""
    groups: list[list[ItemIn]] = []
    for item in items:
        last = groups[-1][-1] if groups else None
        if last is not None and _partial(last) and _partial(item) and _same_terms(last, item):
            groups[-1].append(item)
        else:
            groups.append([item])
    return groups


def _partial(item: ItemIn) -> bool:
    return ZERO < item.discount < _total(item)


def _same_terms(first: ItemIn, second: ItemIn) -> bool:
    # d1 ÷ t1 = d2 ÷ t2, compared exactly by cross-multiplying.
    same_ratio = first.discount * _total(second) == second.discount * _total(first)
    return first.tax_rate == second.tax_rate and same_ratio


def _blue_run(run: list[ItemIn]) -> list[InvoiceLine]:
    goods = [_goods_line(item) for item in run]
    if not any(item.discount for item in run):
        return goods
    shared = _discount_line(run)
    if len(run) == 1 or _folds_cleanly(goods, shared):
        return [*goods, shared]
    separate: list[InvoiceLine] = []
    for item, line in zip(run, goods, strict=True):
        separate += [line, _discount_line([item])]
    return separate


def _goods_line(item: ItemIn) -> InvoiceLine:
    total = _total(item)
    divisor = 1 + rate_from_percent(item.tax_rate)
    amount = round_money(total / divisor)
    return InvoiceLine(
        kind=GOODS,
        name=f"*{item.short_name}*{item.name}" if item.short_name else item.name,
        quantity=item.quantity,
        unit_price=round_unit_price(item.unit_price / divisor),
        amount=amount,
        tax=total - amount,
        tax_rate=item.tax_rate,
        spec=item.spec,
        unit=item.unit,
        tax_code=item.tax_code,
    )


def _discount_line(run: list[ItemIn]) -> InvoiceLine:
    discount = sum((item.discount for item in run), ZERO)
    discounted = sum((_total(item) for item in run), ZERO)
    tax_rate = run[0].tax_rate
    amount = round_money(discount / (1 + rate_from_percent(tax_rate)))
    return InvoiceLine(
        kind=DISCOUNT,
        name=discount_name(len(run), discount / discounted * HUNDRED),
        quantity=None,
        unit_price=None,
        amount=ZERO - amount,
        tax=ZERO - (discount - amount),
        tax_rate=tax_rate,
    )


def _folds_cleanly(goods: list[InvoiceLine], discount: InvoiceLine) -> bool:
    _, percent = parse_discount_name(discount.name)
    figures = [(line.amount, line.tax) for line in goods]
    folded = fold(figures, (-discount.amount, -discount.tax), percent)
    return all(
        amount >= 0
        and tax >= 0
        and line_tax_gap(amount, tax, discount.tax_rate) <= LINE_TAX_TOLERANCE
        for amount, tax in folded
    )


def _reversed(
    line: InvoiceLine, amount: Decimal, tax: Decimal, unit_price: Decimal | None
) -> InvoiceLine:
    quantity = None if line.quantity is None else -line.quantity
    return InvoiceLine(
        kind=GOODS,
        name=line.name,
        quantity=quantity,
        unit_price=unit_price,
        amount=ZERO - amount,
        tax=ZERO - tax,
        tax_rate=line.tax_rate,
        spec=line.spec,
        unit=line.unit,
        tax_code=line.tax_code,
    )


def _unit_price(amount: Decimal, quantity: Decimal | None) -> Decimal | None:
    # 注意事项 2.1b-c: recomputed from the folded amount when the line has a quantity.
    return None if quantity is None else round_unit_price(amount / quantity)


def _draft(kind: str, lines: list[InvoiceLine]) -> Draft:
    total_amount = sum((line.amount for line in lines), ZERO)
    total_tax = sum((line.tax for line in lines), ZERO)
    return Draft(kind, tuple(lines), total_amount, total_tax, total_amount + total_tax)
