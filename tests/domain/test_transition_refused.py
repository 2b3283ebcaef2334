"""A refused transition is an ordinary exception: it travels through context managers."""

import pytest

from storefront.domain.orders import Actor, OrderStatus, TransitionRefused, check_transition
from storefront.tenancy import tenant_context


def test_a_refusal_raised_inside_a_tenant_context_reaches_the_caller_intact():
    with pytest.raises(TransitionRefused) as caught, tenant_context(1):
        check_transition(OrderStatus.COMPLETED, OrderStatus.PAID, Actor.MERCHANT)
    refusal = caught.value
    assert (refusal.code, refusal.current, refusal.target) == (
        "illegal_transition",
        OrderStatus.COMPLETED,
        OrderStatus.PAID,
    )
    assert refusal.__traceback__ is not None


def test_an_actor_without_the_right_is_told_so():
    with pytest.raises(TransitionRefused) as caught:
        check_transition(OrderStatus.PENDING_PAYMENT, OrderStatus.PAID, Actor.SHOPPER)
    assert caught.value.code == "not_allowed_for_actor"
