"""Refund arithmetic: bounded by what order and payment have left, shares, spreading."""

from decimal import Decimal as D

import pytest

from storefront.domain.refunds import refundable, released_share, spread


def test_a_refund_is_bounded_by_what_both_order_and_payment_have_left():
    assert refundable(D("900.00"), D("500.00")) == D("500.00")
    assert refundable(D("300.00"), D("1200.00")) == D("300.00")


def test_a_refund_frees_its_share_of_what_the_order_still_holds():
    assert released_share(D("300.00"), D("900.00")) * D("900.00") == D("300.00")
    assert released_share(D("900.00"), D("900.00")) == 1


@pytest.mark.parametrize(
    ("amount", "open_amounts", "parts"),
    [
        ("1000.00", ["600.00", "600.00"], ["600.00", "400.00"]),
        ("300.00", ["600.00", "600.00"], ["300.00", "0.00"]),
        ("200.00", ["0.00", "600.00"], ["0.00", "200.00"]),
        ("1500.00", ["600.00", "600.00"], ["600.00", "600.00"]),
    ],
)
def test_a_provider_refund_is_spread_over_the_orders_in_order(amount, open_amounts, parts):
    assert spread(D(amount), [D(x) for x in open_amounts]) == [D(x) for x in parts]
