"""Fulfilment rules: when stock comes back, who ships what, what freight costs."""

from decimal import Decimal as D

import pytest

from storefront.domain.orders import (
    TRANSITIONS,
    OrderStatus,
    TransitionRefused,
    check_shipment,
    returns_stock,
)
from storefront.domain.shipping import freight_for

S = OrderStatus
GIVES_BACK = {
    (S.PENDING_PAYMENT, S.CANCELLED),
    (S.PAID, S.CANCELLED),
    (S.PAID, S.REFUNDED),
    (S.RETURNED, S.REFUNDED),
}


@pytest.mark.parametrize(("current", "target"), sorted(TRANSITIONS))
def test_stock_comes_back_only_when_the_goods_never_left_or_came_back(current, target):
    assert returns_stock(current, target) == ((current, target) in GIVES_BACK)


@pytest.mark.parametrize(
    ("current", "exchange", "allowed"),
    [
        (S.PAID, False, True),
        (S.RECEIVED, True, True),
        (S.PAID, True, False),
        (S.RECEIVED, False, False),
        (S.SHIPPED, False, False),
        (S.PENDING_PAYMENT, False, False),
    ],
)
def test_a_first_shipment_leaves_a_paid_order_a_replacement_a_received_one(
    current, exchange, allowed
):
    if allowed:
        check_shipment(current, exchange)
    else:
        with pytest.raises(TransitionRefused):
            check_shipment(current, exchange)


@pytest.mark.parametrize(
    ("goods", "flat", "free_from", "expected"),
    [
        ("99.99", "10.00", "100.00", "10.00"),
        ("100.00", "10.00", "100.00", "0.00"),
        ("5000.00", "12.00", None, "12.00"),
    ],
)
def test_freight_is_flat_until_the_free_shipping_threshold(goods, flat, free_from, expected):
    threshold = D(free_from) if free_from else None
    assert freight_for(D(goods), D(flat), threshold) == D(expected)
