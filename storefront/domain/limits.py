"""Limits and the order quote (SPEC §3): order, direct-mail and annual limits per policy."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from storefront.domain.money import ZERO, format_money, truncate_money
from storefront.domain.tax import (
    NO_TAX,
    TaxMethod,
    TaxRates,
    TaxTag,
    composite_tax,
    full_tax,
    postal_tax,
)


@dataclass(frozen=True)
class LimitPolicy:
    """A dated set of limits; tenants pick one by code."""

    code: str
    effective_from: date
    order_limit: Decimal
    annual_limit: Decimal
    annual_counts_tax: bool  # seed: goods + freight + tax; cn-2019: goods + freight
    direct_mail_limit: Decimal
    direct_mail_scope: str  # "day": the person's day total; "order": this order alone
    single_item_over_order_limit: bool  # cn-2019: one unit may pass, taxed in full


BUILTIN_POLICIES = {
    "seed": LimitPolicy(
        "seed",
        date(2016, 4, 8),
        Decimal("2000.00"),
        Decimal("20000.00"),
        True,
        Decimal("1000.00"),
        "day",
        False,
    ),
    "cn-2019": LimitPolicy(
        "cn-2019",
        date(2019, 1, 1),
        Decimal("5000.00"),
        Decimal("26000.00"),
        False,
        Decimal("1000.00"),
        "order",
        True,
    ),
}
DEFAULT_POLICY_CODE = "seed"


class ViolationCode(StrEnum):
    ORDER_LIMIT = "order_limit"
    DIRECT_MAIL_LIMIT = "direct_mail_limit"
    ANNUAL_LIMIT = "annual_limit"


@dataclass(frozen=True)
class Violation:
    code: ViolationCode
    limit: Decimal
    amount: Decimal  # the figure that broke the limit
    message: str


@dataclass(frozen=True)
class QuoteLine:
    price: Decimal
    quantity: int = 1

    def __post_init__(self) -> None:
        if self.price < 0:
            raise ValueError(f"a price cannot be negative: {self.price}")
        if self.quantity < 1:
            raise ValueError(f"a quantity is at least 1: {self.quantity}")


@dataclass(frozen=True)
class OrderQuote:
    """Every figure of one order; tax steps unrounded, amounts to pay rounded."""

    tag: TaxTag | None
    policy: str
    method: TaxMethod
    goods_total: Decimal
    freight: Decimal
    tariff: Decimal
    consumption_tax: Decimal
    vat: Decimal
    tax_due: Decimal
    order_total: Decimal
    quota_amount: Decimal  # what the order adds to the person's annual total
    day_amount: Decimal  # what a direct-mail order adds to the person's day total
    violations: tuple[Violation, ...]


def quote_order(
    *,
    tag: TaxTag | None,
    rates: TaxRates | None,
    lines: list[QuoteLine],
    freight: Decimal,
    policy: LimitPolicy,
    annual_used: Decimal = ZERO,
    day_used: Decimal = ZERO,
) -> OrderQuote:
    """Quote one order (one supplier, one tax class) and check it against the policy."""
    goods = sum((line.price * line.quantity for line in lines), ZERO)
    if freight < 0:
        raise ValueError(f"freight cannot be negative: {freight}")
    single_unit = len(lines) == 1 and lines[0].quantity == 1
    violations: list[Violation] = []
    if tag is None:
        breakdown, day_amount = NO_TAX, ZERO
    elif tag is TaxTag.DIRECT_MAIL:
        breakdown, day_amount = postal_tax(goods, rates), goods + freight
        violations += _direct_mail(policy, day_amount, day_used, single_unit)
    else:
        breakdown, day_amount = composite_tax(goods, freight, rates), ZERO
        if goods + freight > policy.order_limit:
            if policy.single_item_over_order_limit and single_unit:
                breakdown = full_tax(goods, freight, rates)
            else:
                violations.append(
                    _violation(ViolationCode.ORDER_LIMIT, policy.order_limit, goods + freight)
                )
    quota_amount = ZERO
    if tag is not None:
        quota_amount = goods + freight + (breakdown.tax_due if policy.annual_counts_tax else ZERO)
        if annual_used + quota_amount > policy.annual_limit:
            violations.append(
                _violation(
                    ViolationCode.ANNUAL_LIMIT, policy.annual_limit, annual_used + quota_amount
                )
            )
    return OrderQuote(
        tag,
        policy.code,
        breakdown.method,
        goods,
        freight,
        breakdown.tariff,
        breakdown.consumption_tax,
        breakdown.vat,
        breakdown.tax_due,
        goods + freight + breakdown.tax_due,
        quota_amount,
        day_amount,
        tuple(violations),
    )


def _direct_mail(
    policy: LimitPolicy, day_amount: Decimal, day_used: Decimal, single_unit: bool
) -> list[Violation]:
    # A single unit of one product may exceed the direct-mail limit alone (seed 002 §1.2).
    if single_unit:
        return []
    counted = day_amount + (day_used if policy.direct_mail_scope == "day" else ZERO)
    if counted > policy.direct_mail_limit:
        return [_violation(ViolationCode.DIRECT_MAIL_LIMIT, policy.direct_mail_limit, counted)]
    return []


MESSAGES = {
    ViolationCode.ORDER_LIMIT: "order limit: goods and freight of one order may not exceed "
    "{limit}; this order comes to {amount}",
    ViolationCode.DIRECT_MAIL_LIMIT: "direct-mail limit: direct-mail goods and freight may not "
    "exceed {limit}; counted with this order they come to {amount}",
    ViolationCode.ANNUAL_LIMIT: "annual limit: a person's cross-border purchases may not exceed "
    "{limit} a year; with this order they would come to {amount}",
}


def _violation(code: ViolationCode, limit: Decimal, amount: Decimal) -> Violation:
    message = MESSAGES[code].format(limit=format_money(limit), amount=format_money(amount))
    return Violation(code, limit, amount, message)


TAX_STEPS = ("tariff", "consumption_tax", "vat")
JSON_AMOUNTS = (
    "goods_total",
    "freight",
    "tariff",
    "consumption_tax",
    "vat",
    "tax_due",
    "order_total",
)


def displayed_steps(quote: OrderQuote) -> dict[str, Decimal]:
    """Return the tax steps as shown: cut at the fen (only the tax due is rounded)."""
    return {name: truncate_money(getattr(quote, name)) for name in TAX_STEPS}


def to_json_dict(quote: OrderQuote) -> dict:
    """Serialise a quote: amounts as strings with two decimals, steps as displayed."""
    amounts = {name: getattr(quote, name) for name in JSON_AMOUNTS} | displayed_steps(quote)
    return {
        "tag": quote.tag.value if quote.tag else None,
        "policy": quote.policy,
        "method": quote.method.value,
        **{name: format_money(amounts[name]) for name in JSON_AMOUNTS},
        "violations": [
            {
                "code": v.code.value,
                "limit": format_money(v.limit),
                "amount": format_money(v.amount),
                "message": v.message,
            }
            for v in quote.violations
        ],
    }
