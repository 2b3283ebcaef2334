"""Product ratings: what a product page says about its reviews."""

from decimal import ROUND_HALF_UP, Decimal


def average_rating(ratings: list[int]) -> Decimal | None:
    """Return the mean of 1-5 star ratings to one decimal (half-up), None with no ratings."""
    if not ratings:
        return None
    return (Decimal(sum(ratings)) / len(ratings)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def reviewer_name(name: str) -> str:
    """Show a reviewer by the first character of their name only (张** ...)."""
    return f"{name[:1]}**" if name else "**"
