"""Invoice lines worked by hand (seed 003 注意事项 2-4): blue drafts, discounts, red folding."""

from dataclasses import replace
from decimal import Decimal as D

import pytest

from storefront.domain.invoices import (
    Draft,
    InvalidDraft,
    InvoiceLine,
    ItemIn,
    Problem,
    draft_blue,
    draft_red,
    problems,
)
from storefront.domain.money import format_unit_price, round_unit_price


def item(name, quantity, price, rate="13", discount="0.00", **extra):
    return ItemIn(name, D(quantity), D(price), D(rate), D(discount), **extra)


def shape(draft: Draft) -> list[tuple]:
    return [
        (line.kind, line.name, line.quantity, line.unit_price, line.amount, line.tax)
        for line in draft.lines
    ]


def totals(draft: Draft) -> tuple:
    return draft.total_amount, draft.total_tax, draft.total


# The example: 2 × 129.00 at 13 %, 25.80 off. 258 ÷ 1.13 = 228.3185… → 228.32;
# 129 ÷ 1.13 = 114.159292035398230088…; 25.80 ÷ 1.13 = 22.8318… → 22.83, tax 2.97.
CREAM = [item("保湿面霜", 2, "129.00", discount="25.80")]
CREAM_BLUE = [
    ("goods", "保湿面霜", D(2), D("114.159292035398230"), D("228.32"), D("29.68")),
    ("discount", "折扣(10.000%)", None, None, D("-22.83"), D("-2.97")),
]
# Red, 注意事项 2.1: 228.32 − 22.83 = 205.49, 29.68 − 2.97 = 26.71, 205.49 ÷ 2 = 102.745.
CREAM_RED = [("goods", "保湿面霜", D(-2), D("102.745"), D("-205.49"), D("-26.71"))]

# Three adjacent lines at 13 %, each 10 % off: one "折扣行数3" line for 50.80 (44.96 + 5.84).
# Red, 注意事项 2.2: the nearer lines give back 10 % (132.74 → 13.27 and 1.726 → 1.73;
# 228.32 → 22.83 and 2.968 → 2.97); the farthest (first) line takes the rest:
# 44.96 − 13.27 − 22.83 = 8.86 and 5.84 − 1.73 − 2.97 = 1.14.
THREE = [
    item("A", 1, "100.00", discount="10.00"),
    item("B", 3, "50.00", discount="15.00"),
    item("C", 2, "129.00", discount="25.80"),
]
THREE_BLUE = [
    ("goods", "A", D(1), D("88.495575221238938"), D("88.50"), D("11.50")),
    ("goods", "B", D(3), D("44.247787610619469"), D("132.74"), D("17.26")),
    ("goods", "C", D(2), D("114.159292035398230"), D("228.32"), D("29.68")),
    ("discount", "折扣行数3(10.000%)", None, None, D("-44.96"), D("-5.84")),
]
THREE_RED = [
    ("goods", "A", D(-1), D("79.64"), D("-79.64"), D("-10.36")),
    ("goods", "B", D(-3), D("39.823333333333333"), D("-119.47"), D("-15.53")),
    ("goods", "C", D(-2), D("102.745"), D("-205.49"), D("-26.71")),
]

# Rates 0, 3, 6, 9 without discounts: 9.99 ÷ 1.03 = 9.6990… → 9.70 (tax 0.29);
# 3 × 33.33 = 99.99 ÷ 1.06 = 94.330… → 94.33; 0.01 ÷ 1.09 → 0.01, tax 0.00.
PLAIN = [
    item("零税", 3, "10.00", rate="0"),
    item("三", 1, "9.99", rate="3"),
    item("六", 3, "33.33", rate="6"),
    item("九", 1, "0.01", rate="9"),
]
PLAIN_BLUE = [
    ("goods", "零税", D(3), D("10.000000000000000"), D("30.00"), D("0.00")),
    ("goods", "三", D(1), D("9.699029126213592"), D("9.70"), D("0.29")),
    ("goods", "六", D(3), D("31.443396226415094"), D("94.33"), D("5.66")),
    ("goods", "九", D(1), D("0.009174311926606"), D("0.01"), D("0.00")),
]

CASES = {
    "the issue's example": (CREAM, CREAM_BLUE, ("205.49", "26.71", "232.20"), CREAM_RED),
    "three lines share a discount": (THREE, THREE_BLUE, ("404.60", "52.60", "457.20"), THREE_RED),
    "rates 0, 3, 6 and 9": (
        PLAIN,
        PLAIN_BLUE,
        ("134.04", "5.95", "139.99"),
        [(k, n, -q, p, -a, D(0) - t) for k, n, q, p, a, t in PLAIN_BLUE],
    ),
}


@pytest.mark.parametrize(("items", "blue", "blue_totals", "red"), CASES.values(), ids=CASES)
def test_drafts_worked_by_hand(items, blue, blue_totals, red):
    drafted = draft_blue(items)
    assert shape(drafted) == blue
    assert totals(drafted) == tuple(D(figure) for figure in blue_totals)
    reversed_ = draft_red(drafted)
    assert shape(reversed_) == red
    assert totals(reversed_) == tuple(-D(figure) for figure in blue_totals)
    assert problems(drafted) == problems(reversed_) == ()


def test_lines_with_other_ratios_or_rates_keep_their_own_discount_line():
    drafted = draft_blue(
        [
            item("A", 1, "100.00", discount="10.00"),
            item("B", 1, "100.00", discount="20.00"),
            item("C", 1, "100.00", rate="9", discount="20.00"),
            item("D", 1, "50.00"),
        ]
    )
    assert [line.name for line in drafted.lines] == [
        "A",
        "折扣(10.000%)",
        "B",
        "折扣(20.000%)",
        "C",
        "折扣(20.000%)",
        "D",
    ]
    assert drafted.lines[5].tax_rate == D(9)
    assert problems(draft_red(drafted)) == ()


def test_a_shared_line_that_would_fold_below_zero_is_split():
    # Merged, 0.01 + 0.57 + 0.57 = 1.15 → 1.08 and tax 0.07 at 6 %; folding gives back
    # 0.54 and 0.03 from each B, so the farthest line A (0.02, tax 0.00) would take
    # 0.00 and 0.01: a negative tax. Each line keeps its own 50 % line instead.
    items = [item("A", 1, "0.02", "6", "0.01"), item("B", 1, "1.14", "6", "0.57")]
    drafted = draft_blue([*items, items[1]])
    assert shape(drafted) == [
        ("goods", "A", D(1), D("0.018867924528302"), D("0.02"), D("0.00")),
        ("discount", "折扣(50.000%)", None, None, D("-0.01"), D("0.00")),
        ("goods", "B", D(1), D("1.075471698113208"), D("1.08"), D("0.06")),
        ("discount", "折扣(50.000%)", None, None, D("-0.54"), D("-0.03")),
        ("goods", "B", D(1), D("1.075471698113208"), D("1.08"), D("0.06")),
        ("discount", "折扣(50.000%)", None, None, D("-0.54"), D("-0.03")),
    ]
    assert problems(draft_red(drafted)) == ()


def test_a_whole_line_given_away_reverses_to_nothing_on_that_line():
    drafted = draft_blue([item("赠品", 1, "9.90", discount="9.90"), item("面霜", 1, "99.00")])
    assert drafted.lines[1].name == "折扣(100.000%)"
    assert (drafted.lines[1].amount, drafted.lines[1].tax) == (D("-8.76"), D("-1.14"))
    gift = draft_red(drafted).lines[0]
    assert (gift.quantity, gift.unit_price, gift.amount, gift.tax) == (D(-1), 0, 0, 0)
    assert str(gift.amount) == "0.00"  # never "-0.00" on the invoice


def test_the_short_name_and_classification_go_on_the_line():
    line = draft_blue([item("保湿面霜", 1, "1.00", short_name="化妆品", tax_code="1" * 19)])
    assert line.lines[0].name == "*化妆品*保湿面霜"
    assert draft_red(line).lines[0].tax_code == "1" * 19


@pytest.mark.parametrize(
    ("bad", "code"),
    [
        (item("A", 0, "1.00"), Problem.BAD_ITEM),
        (item("A", 1, "-1.00"), Problem.BAD_ITEM),
        (item("A", 1, "1.00", rate="100"), Problem.BAD_ITEM),
        (item("A", 1, "1.00", rate="-1"), Problem.BAD_ITEM),
        (item(" ", 1, "1.00"), Problem.BAD_ITEM),
        (item("A", 1, "NaN"), Problem.BAD_ITEM),
        (item("A", 1, "1.00", discount="1.01"), Problem.BAD_DISCOUNT),
        (item("A", 1, "1.00", discount="-0.01"), Problem.BAD_DISCOUNT),
        (item("A", 1, "1.00", discount="0.005"), Problem.BAD_DISCOUNT),
    ],
)
def test_input_no_invoice_comes_from(bad, code):
    with pytest.raises(InvalidDraft) as raised:
        draft_blue([item("ok", 1, "1.00"), bad])
    assert raised.value.code == code
    assert "line 2" in str(raised.value)


def test_no_lines_no_invoice():
    with pytest.raises(InvalidDraft) as raised:
        draft_blue([])
    assert raised.value.code == Problem.NO_LINES


def test_only_a_sound_blue_invoice_is_reversed():
    blue = draft_blue(CREAM)
    with pytest.raises(InvalidDraft) as raised:
        draft_red(draft_red(blue))
    assert raised.value.code == Problem.NOT_BLUE
    with pytest.raises(InvalidDraft) as raised:
        draft_red(replace(blue, total=D("1.00")))
    assert raised.value.code == Problem.TOTAL


def goods(amount, tax, quantity="1", price=None, rate="13"):
    price = D(amount) if price is None else D(price)
    return InvoiceLine("goods", "G", D(quantity), price, D(amount), D(tax), D(rate))


def discount(name, amount, tax, rate="13"):
    return InvoiceLine("discount", name, None, None, D(amount), D(tax), D(rate))


def draft(kind, *lines):
    amount = sum((line.amount for line in lines), D("0.00"))
    tax = sum((line.tax for line in lines), D("0.00"))
    return Draft(kind, lines, amount, tax, amount + tax)


SOUND = draft("blue", goods("88.50", "11.50"), discount("折扣(10.000%)", "-8.85", "-1.15"))
BROKEN = {
    "sums": (replace(SOUND, total_amount=D("79.66")), {Problem.TOTAL_AMOUNT, Problem.TOTAL}),
    "tax sum": (replace(SOUND, total_tax=D("10.36")), {Problem.TOTAL_TAX, Problem.TOTAL}),
    "line tax": (draft("blue", goods("88.50", "11.58")), {Problem.LINE_TAX}),
    "unit price": (draft("blue", goods("88.50", "11.50", price="88.48")), {Problem.LINE_PRICE}),
    "fen": (draft("blue", goods("88.505", "11.50")), {Problem.PRECISION}),
    "16 decimals": (
        draft("blue", goods("1.00", "0.13", price="1.0000000000000001")),
        {Problem.PRECISION},
    ),
    "invoice tax": (draft("blue", *[goods("1.00", "0.18")] * 30), {Problem.INVOICE_TAX}),
    "blue below 0": (
        draft("blue", goods("-1.00", "-0.13")),
        {Problem.LINE_SIGN, Problem.TOTAL_SIGN},
    ),
    "red above 0": (draft("red", goods("1.00", "0.13")), {Problem.LINE_SIGN, Problem.TOTAL_SIGN}),
    "red price below 0": (
        draft("red", goods("-1.00", "-0.13", quantity="1", price="-1.00")),
        {Problem.LINE_SIGN},
    ),
    "empty": (draft("blue"), {Problem.NO_LINES, Problem.TOTAL_SIGN}),
    "kind": (replace(SOUND, kind="green"), {Problem.KIND, Problem.TOTAL_SIGN}),
    "discount in red": (
        draft(
            "red",
            goods("-88.50", "-11.50", "-1", "88.50"),
            discount("折扣(10.000%)", "-8.85", "-1.15"),
        ),
        {Problem.DISCOUNT_IN_RED},
    ),
    "discount first": (
        draft("blue", discount("折扣(10.000%)", "-8.85", "-1.15"), goods("88.50", "11.50")),
        {Problem.DISCOUNT_PLACE},
    ),
    "discount name": (
        draft("blue", goods("88.50", "11.50"), discount("折扣10%", "-8.85", "-1.15")),
        {Problem.DISCOUNT_NAME},
    ),
    "discount rate": (
        draft("blue", goods("88.50", "11.50"), discount("折扣(10.000%)", "-8.85", "-1.15", "9")),
        {Problem.DISCOUNT_RATE, Problem.LINE_TAX},
    ),
    "discount percent": (
        draft("blue", goods("88.50", "11.50"), discount("折扣(10.001%)", "-8.85", "-1.15")),
        {Problem.DISCOUNT_PERCENT},
    ),
    "discount exceeds": (
        draft("blue", goods("88.50", "11.50"), discount("折扣(110.000%)", "-97.35", "-12.65")),
        {Problem.DISCOUNT_EXCEEDS, Problem.TOTAL_SIGN},
    ),
    "discount with a quantity": (
        draft("blue", goods("88.50", "11.50"), replace(SOUND.lines[1], quantity=D(1))),
        {Problem.LINE_SIGN},
    ),
}


def test_the_sound_draft_breaks_nothing():
    assert problems(SOUND) == ()


@pytest.mark.parametrize(("broken", "expected"), BROKEN.values(), ids=BROKEN)
def test_every_broken_rule_is_reported(broken, expected):
    assert set(problems(broken)) == expected


@pytest.mark.parametrize(
    ("price", "rounded", "shown"),
    [
        ("114.1592920353982300884955", "114.159292035398230", "114.15929203539823"),
        ("0.0000000000000005", "0.000000000000001", "0.000000000000001"),
        ("0", "0.000000000000000", "0.00"),
        ("9.9999999999999999", "10.000000000000000", "10.00"),
        ("9708.7281553398", "9708.728155339800000", "9708.7281553398"),
        # 21 characters at most, the point included (注意事项 3.1)
        ("123456789.123456789123", "123456789.12345678912", "123456789.12345678912"),
        ("99999.9999999999999999", "100000.00000000000000", "100000.00"),
    ],
)
def test_unit_prices_keep_15_decimals_and_21_characters(price, rounded, shown):
    result = round_unit_price(D(price))
    assert f"{result:f}" == rounded
    assert format_unit_price(result) == shown
