"""Mixing rules: never tax with non-tax products, never two tax classes in one order."""

import pytest

from storefront.domain.cart_rules import CartItem, MixCode, check_mix, split_orders

A = (1, "cross_border_retail")
B = (2, "cross_border_retail")
DM = (1, "direct_mail")


def items(*classes):
    return [CartItem(key=str(index), tax_class=cls) for index, cls in enumerate(classes, 1)]


@pytest.mark.parametrize(
    ("classes", "expected"),
    [
        ((A, A), []),
        ((None, None), []),
        ((), []),
        ((A, None), [(MixCode.TAX_AND_NON_TAX, ("2",))]),  # tie: the later-added line goes
        ((None, A), [(MixCode.TAX_AND_NON_TAX, ("2",))]),
        ((A, A, None), [(MixCode.TAX_AND_NON_TAX, ("3",))]),
        ((None, None, A), [(MixCode.TAX_AND_NON_TAX, ("3",))]),
        ((A, B), [(MixCode.DIFFERENT_TAX_CLASSES, ("2",))]),  # same tag, other template
        ((A, DM), [(MixCode.DIFFERENT_TAX_CLASSES, ("2",))]),  # same template, other tag
        ((DM, A, A), [(MixCode.DIFFERENT_TAX_CLASSES, ("1",))]),
        (
            (A, A, B, None),
            [(MixCode.TAX_AND_NON_TAX, ("4",)), (MixCode.DIFFERENT_TAX_CLASSES, ("3",))],
        ),
    ],
)
def test_mixing(classes, expected):
    problems = check_mix(items(*classes))
    assert [(p.code, p.remove_keys) for p in problems] == expected


def test_a_cart_splits_into_one_order_per_supplier_and_tax_class_in_the_order_added():
    lines = [("sup-1", "a"), ("sup-2", "b"), ("sup-1", "c"), ("sup-2", "d"), ("sup-3", "e")]
    assert split_orders(lines, lambda line: line[0]) == [
        [("sup-1", "a"), ("sup-1", "c")],
        [("sup-2", "b"), ("sup-2", "d")],
        [("sup-3", "e")],
    ]
