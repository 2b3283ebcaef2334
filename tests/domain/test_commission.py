"""Commission arithmetic: product rate over store rate, refunded parts earn nothing."""

from decimal import Decimal as D

import pytest

from storefront.domain.commission import Commission, CommissionLine, earned, reversed_for


@pytest.mark.parametrize(
    ("lines", "store_rate", "refunded", "expected"),
    [
        # one line at the store's 10%: 800 goods (+ freight and tax in the total 900)
        (
            [CommissionLine(D("800.00"), None)],
            D("10"),
            D("0"),
            (D("800.00"), D("10.00"), D("80.00")),
        ),
        # a product rate of 5% overrides the store's 10% on its line only
        (
            [CommissionLine(D("500.00"), D("5")), CommissionLine(D("300.00"), None)],
            D("10"),
            D("0"),
            (D("800.00"), D("6.88"), D("55.00")),
        ),
        # a third of the order refunded before completion: two thirds earn
        (
            [CommissionLine(D("800.00"), None)],
            D("10"),
            D("300.00"),
            (D("533.33"), D("10.00"), D("53.33")),
        ),
    ],
)
def test_what_a_completed_order_earns(lines, store_rate, refunded, expected):
    commission = earned(lines, store_rate, D("800.00"), D("900.00"), refunded)
    assert (commission.base, commission.rate, commission.amount) == expected


def test_nothing_is_earned_at_a_zero_rate_or_when_all_was_refunded():
    line = [CommissionLine(D("800.00"), None)]
    assert earned(line, D("0"), D("800.00"), D("900.00"), D("0")) is None
    assert earned(line, D("10"), D("800.00"), D("900.00"), D("900.00")) is None
    assert earned([], D("10"), D("0"), D("0"), D("0")) is None


def test_a_refund_takes_back_its_share_never_more_than_was_earned():
    commission = Commission(base=D("800.00"), rate=D("10.00"), amount=D("80.00"))
    half = reversed_for(commission, D("450.00"), D("900.00"))
    assert (half.base, half.rate, half.amount) == (D("-400.00"), D("10.00"), D("-40.00"))
    everything = reversed_for(commission, D("5000.00"), D("900.00"))
    assert everything.amount == D("-80.00")
