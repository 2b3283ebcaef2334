"""The tax engine against every worked example of the seed (002 §1) and SPEC §2."""

from decimal import Decimal as D

import pytest

from storefront.domain.limits import BUILTIN_POLICIES, QuoteLine, quote_order
from storefront.domain.money import round_money, truncate_money
from storefront.domain.tax import (
    InvalidRates,
    TaxMethod,
    TaxRates,
    TaxTag,
    composite_tax,
    full_tax,
    postal_tax,
)

SEED_RATES = TaxRates.from_percent(tariff=5, consumption=6, vat=7, postal=8)
DIRECT_MAIL_RATES = TaxRates.from_percent(tariff=5, consumption=6, vat=7, postal=51)
SEED = BUILTIN_POLICIES["seed"]
COMPOSITE_TAGS = [
    TaxTag.CROSS_BORDER_RETAIL,
    TaxTag.DOMESTIC_DROPSHIP,
    TaxTag.OVERSEAS_CONSOLIDATION,
]


@pytest.mark.parametrize(
    ("goods", "consumption_tax", "vat", "tax_due"),
    [
        ("3100", "197.87", "230.85", "300.11"),  # scenario 1: 100 + 3000
        ("1980", "126.38", "147.44", "191.68"),  # scenario 2
        ("800", "51.06", "59.57", "77.45"),  # the confirm-order page (figure 13)
    ],
)
def test_composite_worked_examples(goods, consumption_tax, vat, tax_due):
    breakdown = composite_tax(D(goods), D("0"), SEED_RATES)
    assert truncate_money(breakdown.consumption_tax) == D(consumption_tax)
    assert truncate_money(breakdown.vat) == D(vat)
    assert breakdown.tax_due == D(tax_due)
    assert breakdown.method is TaxMethod.COMPOSITE


def test_the_figure_13_example_ignores_the_tariff_rate():
    ten_percent_tariff = TaxRates.from_percent(tariff=10, consumption=6, vat=7, postal=10)
    assert composite_tax(D("800"), D("0"), ten_percent_tariff).tax_due == D("77.45")


def test_tariff_is_computed_and_shown_but_counted_as_zero():
    breakdown = composite_tax(D("1000"), D("0"), SEED_RATES)
    assert breakdown.tariff == D("50.00")
    no_tariff = TaxRates.from_percent(tariff=0, consumption=6, vat=7, postal=8)
    assert composite_tax(D("1000"), D("0"), no_tariff).tax_due == breakdown.tax_due


def test_freight_is_in_the_composite_base():
    assert composite_tax(D("780"), D("20"), SEED_RATES).tax_due == D("77.45")


def test_only_the_final_tax_is_rounded():
    # goods 1.00: ct 0.06382..., VAT 0.07446...; (0.13829...) x 70% = 0.0968... -> 0.10.
    # Rounding the steps first would give (0.06 + 0.07) x 70% = 0.091 -> 0.09.
    breakdown = composite_tax(D("1.00"), D("0"), SEED_RATES)
    stepwise = round_money(
        (round_money(breakdown.consumption_tax) + round_money(breakdown.vat)) * D("0.7")
    )
    assert breakdown.tax_due == D("0.10")
    assert stepwise == D("0.09")


def test_steps_are_shown_cut_at_the_fen_as_in_the_seed():
    # VAT of the 1980 example is 147.4468...: the seed shows 147.44 (never rounded up).
    breakdown = composite_tax(D("1980"), D("0"), SEED_RATES)
    assert truncate_money(breakdown.vat) == D("147.44")
    assert round_money(breakdown.vat) == D("147.45")


@pytest.mark.parametrize(
    ("goods", "rate", "expected"),
    [
        ("1100", 51, "561.00"),  # scenario 4
        ("1100", 8, "88.00"),
        ("625", 8, "0.00"),  # 50.00 exactly: not collected
        ("625.13", 8, "50.01"),  # 50.0104 rounds to 50.01: collected
        ("0", 20, "0.00"),
    ],
)
def test_postal_tax_and_its_50_yuan_exemption(goods, rate, expected):
    rates = TaxRates.from_percent(tariff=0, consumption=0, vat=0, postal=rate)
    assert postal_tax(D(goods), rates).tax_due == D(expected)


def test_full_method_takes_tariff_consumption_tax_and_vat_without_the_70_percent():
    breakdown = full_tax(D("6000"), D("0"), SEED_RATES)
    # tariff 300; ct (6300)/0.94*0.06 = 402.1276...; VAT (6702.1276...)*0.07 = 469.1489...
    assert breakdown.tariff == D("300.00")
    assert truncate_money(breakdown.consumption_tax) == D("402.12")
    assert truncate_money(breakdown.vat) == D("469.14")
    assert breakdown.tax_due == D("1171.28")
    assert breakdown.method is TaxMethod.FULL


@pytest.mark.parametrize("field", ["tariff", "consumption", "vat", "postal"])
@pytest.mark.parametrize("bad", ["-1", "100", "150", "NaN"])
def test_rates_outside_0_to_below_100_are_refused(field, bad):
    values = {"tariff": 5, "consumption": 6, "vat": 7, "postal": 8, field: D(bad)}
    with pytest.raises(InvalidRates) as refused:
        TaxRates.from_percent(**values)
    assert field in refused.value.fields


def test_every_bad_rate_is_reported_at_once():
    with pytest.raises(InvalidRates) as refused:
        TaxRates.from_percent(tariff=-1, consumption=100, vat=7, postal=200)
    assert set(refused.value.fields) == {"tariff", "consumption", "postal"}


@pytest.mark.parametrize("tag", COMPOSITE_TAGS)
def test_the_three_composite_tags_compute_alike(tag):
    quote = quote_order(
        tag=tag, rates=SEED_RATES, lines=[QuoteLine(D("1980"))], freight=D("0"), policy=SEED
    )
    assert (quote.method, quote.tax_due, quote.order_total) == (
        TaxMethod.COMPOSITE,
        D("191.68"),
        D("2171.68"),
    )
