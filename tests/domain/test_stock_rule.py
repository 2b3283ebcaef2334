"""Which moves give goods back to stock: only while the goods are in the warehouse."""

import pytest

from storefront.domain.orders import TRANSITIONS, OrderStatus, returns_stock

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
