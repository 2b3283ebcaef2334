"""Refund arithmetic (SPEC §3 counting, §5): what a refund may be, and what share it frees."""

from collections.abc import Sequence
from decimal import Decimal

CENT = Decimal("0.01")


def refundable(order_open: Decimal, payment_open: Decimal) -> Decimal:
    """Return the most that may still be refunded: never more than either has left."""
    return min(order_open, payment_open)


def released_share(amount: Decimal, order_open: Decimal) -> Decimal:
    """Return the share of what the order still holds (quota) that refunding `amount` frees."""
    return amount / order_open


def spread(amount: Decimal, order_open: Sequence[Decimal]) -> list[Decimal]:
    """Spread a refund made at the provider over a checkout's orders, in order, each taking
    at most what it has left (the last ones may take nothing)."""
    parts = []
    for still_open in order_open:
        part = max(min(amount, still_open), Decimal("0.00"))
        parts.append(part)
        amount -= part
    return parts
