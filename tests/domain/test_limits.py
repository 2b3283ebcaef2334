"""Limits per policy (SPEC §3): order, direct-mail (day or order), annual; table-driven."""

from decimal import Decimal as D

import pytest

from storefront.domain.limits import BUILTIN_POLICIES, QuoteLine, ViolationCode, quote_order
from storefront.domain.tax import TaxMethod, TaxRates, TaxTag

RATES = TaxRates.from_percent(tariff=5, consumption=6, vat=7, postal=51)
SEED, CN2019 = BUILTIN_POLICIES["seed"], BUILTIN_POLICIES["cn-2019"]
CBR, DM = TaxTag.CROSS_BORDER_RETAIL, TaxTag.DIRECT_MAIL


def lines(*specs: str) -> list[QuoteLine]:
    """ "500" is one unit at 500; "300x2" two units."""
    parsed = []
    for spec in specs:
        price, _, quantity = spec.partition("x")
        parsed.append(QuoteLine(D(price), int(quantity or 1)))
    return parsed


def codes(quote) -> list[str]:
    return [v.code.value for v in quote.violations]


CASES = [
    # (policy, tag, lines, freight, annual_used, day_used, expected codes, method)
    (SEED, CBR, ["100", "3000"], "0", "0", "0", ["order_limit"], "composite"),  # scenario 1
    (SEED, CBR, ["1980"], "0", "0", "0", [], "composite"),  # scenario 2
    (SEED, CBR, ["1000"], "0", "20000.01", "0", ["annual_limit"], "composite"),  # scenario 3
    (SEED, DM, ["1100"], "0", "0", "0", [], "postal"),  # scenario 4: single unit exempt
    (SEED, DM, ["500", "600"], "0", "0", "0", ["direct_mail_limit"], "postal"),  # scenario 5
    (SEED, CBR, ["2000"], "0", "0", "0", [], "composite"),  # boundary: allowed
    (SEED, CBR, ["2000.01"], "0", "0", "0", ["order_limit"], "composite"),  # refused
    (SEED, CBR, ["1990"], "10.01", "0", "0", ["order_limit"], "composite"),  # freight counts
    (SEED, DM, ["600x2"], "0", "0", "0", ["direct_mail_limit"], "postal"),  # 2 units: no exemption
    (SEED, DM, ["400", "500"], "0", "0", "100", [], "postal"),  # day total 1000.00: allowed
    (SEED, DM, ["400", "500"], "0", "0", "100.01", ["direct_mail_limit"], "postal"),  # day total
    (SEED, DM, ["1100"], "0", "0", "900", [], "postal"),  # single unit exempt whatever the day
    (CN2019, DM, ["400", "500"], "0", "0", "900", [], "postal"),  # cn-2019: per order only
    (CN2019, DM, ["500", "600"], "0", "0", "0", ["direct_mail_limit"], "postal"),
    (CN2019, CBR, ["5000"], "0", "0", "0", [], "composite"),
    (CN2019, CBR, ["6000"], "0", "0", "0", [], "full"),  # one unit over the limit: full tax
    (CN2019, CBR, ["3000x2"], "0", "0", "0", ["order_limit"], "composite"),
    (CN2019, CBR, ["3000", "3000"], "0", "0", "0", ["order_limit"], "composite"),
    (SEED, CBR, ["6000"], "0", "0", "0", ["order_limit"], "composite"),  # seed refuses it
    (SEED, CBR, ["3100"], "0", "19000", "0", ["order_limit", "annual_limit"], "composite"),
]


@pytest.mark.parametrize(
    ("policy", "tag", "specs", "freight", "annual", "day", "expected", "method"), CASES
)
def test_limits(policy, tag, specs, freight, annual, day, expected, method):
    quote = quote_order(
        tag=tag,
        rates=RATES,
        lines=lines(*specs),
        freight=D(freight),
        policy=policy,
        annual_used=D(annual),
        day_used=D(day),
    )
    assert codes(quote) == expected
    assert quote.method == TaxMethod(method)


def test_a_violation_names_the_limit_and_the_amount():
    quote = quote_order(
        tag=CBR, rates=RATES, lines=lines("100", "3000"), freight=D("0"), policy=SEED
    )
    (violation,) = quote.violations
    assert violation.code is ViolationCode.ORDER_LIMIT
    assert (violation.limit, violation.amount) == (D("2000.00"), D("3100"))
    assert "2000.00" in violation.message and "3100.00" in violation.message


def test_seed_counts_tax_in_the_annual_total_and_cn_2019_does_not():
    seed = quote_order(tag=CBR, rates=RATES, lines=lines("1980"), freight=D("0"), policy=SEED)
    cn = quote_order(tag=CBR, rates=RATES, lines=lines("1980"), freight=D("0"), policy=CN2019)
    assert seed.quota_amount == D("1980") + seed.tax_due
    assert cn.quota_amount == D("1980")


@pytest.mark.parametrize(("used", "expected"), [("17828.32", []), ("17828.33", ["annual_limit"])])
def test_annual_boundary_counts_goods_freight_and_tax_under_seed(used, expected):
    # 1980 + tax 191.68 = 2171.68; 17828.32 + 2171.68 = 20000.00 exactly: allowed.
    quote = quote_order(
        tag=CBR, rates=RATES, lines=lines("1980"), freight=D("0"), policy=SEED, annual_used=D(used)
    )
    assert codes(quote) == expected


def test_the_full_method_counts_toward_the_annual_total():
    quote = quote_order(
        tag=CBR,
        rates=RATES,
        lines=lines("6000"),
        freight=D("0"),
        policy=CN2019,
        annual_used=D("20000.01"),
    )
    assert quote.method is TaxMethod.FULL
    assert codes(quote) == ["annual_limit"]


def test_non_tax_orders_have_no_tax_and_no_limits():
    quote = quote_order(
        tag=None,
        rates=None,
        lines=lines("9999"),
        freight=D("12"),
        policy=SEED,
        annual_used=D("99999"),
    )
    assert (quote.method, quote.tax_due, quote.order_total, quote.violations) == (
        TaxMethod.NONE,
        D("0.00"),
        D("10011"),
        (),
    )
    assert quote.quota_amount == 0


def test_direct_mail_order_total_adds_postal_tax_but_not_to_the_tax_base():
    quote = quote_order(tag=DM, rates=RATES, lines=lines("1100"), freight=D("20"), policy=SEED)
    assert (quote.tax_due, quote.order_total, quote.day_amount) == (
        D("561.00"),
        D("1681.00"),
        D("1120"),
    )


def test_lines_refuse_negative_prices_and_zero_quantities():
    with pytest.raises(ValueError):
        QuoteLine(D("-1"))
    with pytest.raises(ValueError):
        QuoteLine(D("1"), 0)
