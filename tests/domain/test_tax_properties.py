"""Properties of the tax engine over many random carts (hypothesis)."""

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from storefront.domain.limits import BUILTIN_POLICIES, QuoteLine, displayed_steps, quote_order
from storefront.domain.money import round_money
from storefront.domain.tax import TaxRates, TaxTag, composite_tax

amounts = st.decimals(min_value=0, max_value=50000, places=2, allow_nan=False)
percents = st.decimals(min_value=0, max_value=D("99.99"), places=2, allow_nan=False)
rates = st.builds(
    lambda t, c, v, p: TaxRates.from_percent(tariff=t, consumption=c, vat=v, postal=p),
    percents,
    percents,
    percents,
    percents,
)
tags = st.sampled_from(list(TaxTag))


@given(tag=tags, rates=rates, price=amounts, freight=amounts, quantity=st.integers(1, 5))
def test_tax_is_never_negative(tag, rates, price, freight, quantity):
    quote = quote_order(
        tag=tag,
        rates=rates,
        lines=[QuoteLine(price, quantity)],
        freight=freight,
        policy=BUILTIN_POLICIES["seed"],
    )
    assert quote.tax_due >= 0
    assert quote.order_total == quote.goods_total + quote.freight + quote.tax_due


@given(rates=rates, price=amounts, extra=amounts, freight=amounts)
def test_composite_tax_never_decreases_when_the_price_grows(rates, price, extra, freight):
    lower = composite_tax(price, freight, rates).tax_due
    higher = composite_tax(price + extra, freight, rates).tax_due
    assert higher >= lower


@given(rates=rates, price=amounts, freight=amounts)
def test_displayed_steps_recombine_to_the_tax_due(rates, price, freight):
    """(shown consumption tax + shown VAT) x 70% comes back to the tax due.

    The steps are shown cut at the fen, as the seed shows them (its VAT 147.4468 is
    "147.44"), so each may sit up to 0.01 under its exact value; recombined and rounded
    they stay within 0.01 per step added (composite: two steps, full: three) of the tax
    due, which is computed from the exact steps.
    """
    quote = quote_order(
        tag=TaxTag.CROSS_BORDER_RETAIL,
        rates=rates,
        lines=[QuoteLine(price)],
        freight=freight,
        policy=BUILTIN_POLICIES["cn-2019"],
    )
    shown = displayed_steps(quote)
    if quote.method.value == "composite":
        recombined = round_money((shown["consumption_tax"] + shown["vat"]) * D("0.7"))
        tolerance = D("0.02")
    else:
        recombined = round_money(shown["tariff"] + shown["consumption_tax"] + shown["vat"])
        tolerance = D("0.03")
    assert abs(recombined - quote.tax_due) <= tolerance
