"""Cross-border tax (SPEC §2, seed 002 §1): composite, postal and full methods.

Steps are carried unrounded; only the tax due is rounded (seed 002: "第四步总税收才会4舍5入").
"""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from storefront.domain.money import ZERO, rate_from_percent, round_money

ONE = Decimal(1)
# Cross-border retail pays 70% of the import VAT and consumption tax, tariff 0.
COMPOSITE_SHARE = Decimal("0.7")
# Postal articles tax of 50 yuan or less is not collected (seed 002 §1.2).
POSTAL_EXEMPTION = Decimal("50.00")


class TaxTag(StrEnum):
    CROSS_BORDER_RETAIL = "cross_border_retail"
    DOMESTIC_DROPSHIP = "domestic_dropship"
    OVERSEAS_CONSOLIDATION = "overseas_consolidation"
    DIRECT_MAIL = "direct_mail"


class TaxMethod(StrEnum):
    COMPOSITE = "composite"
    POSTAL = "postal"
    FULL = "full"  # general trade: one item over the order limit, where a policy allows it
    NONE = "none"  # non-tax products


class InvalidRates(ValueError):
    """One or more rates are out of range; `fields` names each with its problem."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {problem}" for name, problem in fields.items()))
        self.fields = fields


@dataclass(frozen=True)
class TaxRates:
    """Rates as fractions (0.06 for 6%)."""

    tariff: Decimal
    consumption: Decimal
    vat: Decimal
    postal: Decimal

    @classmethod
    def from_percent(cls, *, tariff, consumption, vat, postal) -> "TaxRates":
        """Build rates from percents, each 0 <= rate < 100; report every bad one at once."""
        percents = {"tariff": tariff, "consumption": consumption, "vat": vat, "postal": postal}
        problems = {}
        for name, value in percents.items():
            value = Decimal(value)
            if not value.is_finite() or not ZERO <= value < 100:
                problems[name] = f"{value} is not a rate from 0 to below 100"
        if problems:
            raise InvalidRates(problems)
        return cls(**{name: rate_from_percent(Decimal(v)) for name, v in percents.items()})


@dataclass(frozen=True)
class TaxBreakdown:
    """The steps unrounded (display rounds them) and the tax due, rounded."""

    method: TaxMethod
    base: Decimal
    tariff: Decimal
    consumption_tax: Decimal
    vat: Decimal
    tax_due: Decimal


def composite_tax(goods: Decimal, freight: Decimal, rates: TaxRates) -> TaxBreakdown:
    """Compute the composite tax; the tariff is shown but counted as 0."""
    base = goods + freight
    tariff = base * rates.tariff
    consumption = base / (ONE - rates.consumption) * rates.consumption
    vat = (base + consumption) * rates.vat
    due = round_money((ZERO + consumption + vat) * COMPOSITE_SHARE)
    return TaxBreakdown(TaxMethod.COMPOSITE, base, tariff, consumption, vat, due)


def postal_tax(goods: Decimal, rates: TaxRates) -> TaxBreakdown:
    """Compute the postal articles tax on the goods alone; 50.00 or less is not collected."""
    tax = round_money(goods * rates.postal)
    due = ZERO if tax <= POSTAL_EXEMPTION else tax
    return TaxBreakdown(TaxMethod.POSTAL, goods, ZERO, ZERO, ZERO, due)


def full_tax(goods: Decimal, freight: Decimal, rates: TaxRates) -> TaxBreakdown:
    """Compute full general-trade tax: tariff, consumption tax and VAT, no 70%."""
    base = goods + freight
    tariff = base * rates.tariff
    consumption = (base + tariff) / (ONE - rates.consumption) * rates.consumption
    vat = (base + tariff + consumption) * rates.vat
    due = round_money(tariff + consumption + vat)
    return TaxBreakdown(TaxMethod.FULL, base, tariff, consumption, vat, due)


NO_TAX = TaxBreakdown(TaxMethod.NONE, ZERO, ZERO, ZERO, ZERO, ZERO)
