"""Money in yuan: Decimal only, and the one place that rounds (ROUND_HALF_UP, 四舍五入)."""

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
PERMILLE_OF_PERCENT = Decimal("0.001")
# Seed 003 注意事项 3.1: a unit price excluding tax has at most 15 decimals and 21 characters
# (the decimal point included).
UNIT_PRICE_DECIMALS = 15
UNIT_PRICE_CHARACTERS = 21


def round_money(amount: Decimal) -> Decimal:
    """Round to the fen, half up."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def truncate_money(amount: Decimal) -> Decimal:
    """Cut to the fen without rounding: how the seed shows the unrounded tax steps.

    Seed 002 §1: steps 1-3 "不会4舍5入, 小数点到0.01"; its example shows VAT 147.4468... as
    147.44, so a step is displayed cut at 0.01, never rounded up.
    """
    return amount.quantize(CENT, rounding=ROUND_DOWN)


def round_unit_price(price: Decimal) -> Decimal:
    """Round a unit price (at least 0) half up to 15 decimals, fewer past 21 characters."""
    whole = max(price.adjusted() + 1, 1)  # digits before the point
    decimals = max(min(UNIT_PRICE_DECIMALS, UNIT_PRICE_CHARACTERS - 1 - whole), 0)
    rounded = price.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if decimals and max(rounded.adjusted() + 2, 2) + decimals > UNIT_PRICE_CHARACTERS:
        # rounding carried into one more whole digit (99999.99…95 → 100000)
        rounded = price.quantize(Decimal(1).scaleb(1 - decimals), rounding=ROUND_HALF_UP)
    return rounded


def round_percent(percent: Decimal) -> Decimal:
    """Round a percentage half up to three decimals: the "X.XXX%" of a discount (seed 003 2)."""
    return percent.quantize(PERMILLE_OF_PERCENT, rounding=ROUND_HALF_UP)


def format_money(amount: Decimal) -> str:
    """Return the amount as a string with exactly two decimals."""
    return f"{round_money(amount):.2f}"


def format_unit_price(price: Decimal) -> str:
    """Return a unit price in plain digits: its decimals without trailing zeros, at least two."""
    whole, _, decimals = f"{price:f}".partition(".")
    return f"{whole}.{decimals.rstrip('0').ljust(2, '0')}"


def parse_money(text: str) -> Decimal:
    """Parse a non-negative amount with at most two decimals, or raise ValueError."""
    try:
        amount = Decimal(str(text).strip())
    except InvalidOperation as error:
        raise ValueError(f"not an amount: {text!r}") from error
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"an amount must be a finite number of at least 0: {text!r}")
    if amount != amount.quantize(CENT):
        raise ValueError(f"an amount has at most two decimals: {text!r}")
    return amount.quantize(CENT)


def rate_from_percent(percent: Decimal) -> Decimal:
    """Turn a rate in percent (e.g. 9.1) into a fraction (0.091), exactly."""
    return Decimal(percent) / HUNDRED
