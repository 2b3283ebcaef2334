"""Freight, the carriers a merchant ships with and the shape of a tracking number."""

import re
from decimal import Decimal

CARRIERS = {
    "SF": "顺丰速运 SF Express",
    "EMS": "中国邮政 EMS",
    "ZTO": "中通快递 ZTO",
    "YTO": "圆通速递 YTO",
    "JD": "京东物流 JD Logistics",
}
# Letters and digits, 8 to 30 of them (SF: SF + 12-13 digits; EMS: 13 characters; ...).
TRACKING_NUMBER = re.compile(r"^[A-Z0-9]{8,30}$")


def normalise_tracking(carrier: str, text: str) -> str | None:
    """Return the upper-cased tracking number, or None if carrier or number is not valid."""
    number = text.strip().upper().replace(" ", "")
    if carrier not in CARRIERS or not TRACKING_NUMBER.match(number):
        return None
    return number


def freight_for(goods_total: Decimal, flat: Decimal, free_from: Decimal | None) -> Decimal:
    """Return a supplier's freight for an order: flat, or free from a goods threshold."""
    if free_from is not None and goods_total >= free_from:
        return Decimal("0.00")
    return flat
