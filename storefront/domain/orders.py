"""The order state machine (SPEC §5): statuses, the transition table, who may move what."""

from dataclasses import dataclass
from enum import StrEnum


class OrderStatus(StrEnum):
    PENDING_PAYMENT = "pending_payment"
    PAID = "paid"  # awaiting shipment
    SHIPPED = "shipped"
    RECEIVED = "received"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"
    RETURNED = "returned"


class Actor(StrEnum):
    SHOPPER = "shopper"
    MERCHANT = "merchant"
    SYSTEM = "system"  # jobs and verified provider events


class Reason(StrEnum):
    """Why an order moved, stored as a code with parameters so that the log reads in the
    reader's language. Parameters named in the comments."""

    PLACED = "placed"
    PAYMENT = "payment"  # reference
    SHIPPED = "shipped"  # carrier, tracking_number
    EXCHANGE_SHIPPED = "exchange_shipped"  # carrier, tracking_number
    RECEIPT_CONFIRMED = "receipt_confirmed"
    RECEIPT_AUTO = "receipt_auto"
    COMPLETION_CONFIRMED = "completion_confirmed"
    RETURN_ACCEPTED = "return_accepted"  # note (the merchant's words, optional)
    CANCELLED_BY_SHOPPER = "cancelled_by_shopper"
    CANCELLED_BY_MERCHANT = "cancelled_by_merchant"  # note (optional)
    UNPAID_EXPIRED = "unpaid_expired"
    REFUND = "refund"  # amount


S = OrderStatus
# (from, to) -> who may make the move. Partial refunds keep the status (a refund record).
TRANSITIONS: dict[tuple[OrderStatus, OrderStatus], frozenset[Actor]] = {
    (S.PENDING_PAYMENT, S.PAID): frozenset({Actor.SYSTEM}),
    (S.PENDING_PAYMENT, S.CANCELLED): frozenset({Actor.SHOPPER, Actor.MERCHANT, Actor.SYSTEM}),
    (S.PAID, S.SHIPPED): frozenset({Actor.MERCHANT}),
    (S.PAID, S.CANCELLED): frozenset({Actor.MERCHANT, Actor.SYSTEM}),
    (S.PAID, S.REFUNDED): frozenset({Actor.MERCHANT, Actor.SYSTEM}),
    (S.SHIPPED, S.RECEIVED): frozenset({Actor.SHOPPER, Actor.SYSTEM}),
    (S.SHIPPED, S.REFUNDED): frozenset({Actor.MERCHANT, Actor.SYSTEM}),
    (S.RECEIVED, S.COMPLETED): frozenset({Actor.MERCHANT, Actor.SYSTEM}),
    (S.RECEIVED, S.RETURNED): frozenset({Actor.MERCHANT}),
    # An exchange (换货): the merchant ships a replacement, the shopper confirms it again.
    (S.RECEIVED, S.SHIPPED): frozenset({Actor.MERCHANT}),
    (S.RECEIVED, S.REFUNDED): frozenset({Actor.MERCHANT, Actor.SYSTEM}),
    (S.COMPLETED, S.REFUNDED): frozenset({Actor.MERCHANT, Actor.SYSTEM}),
    (S.RETURNED, S.REFUNDED): frozenset({Actor.MERCHANT, Actor.SYSTEM}),
}

# Statuses in which the order no longer holds quota (SPEC §3 counting).
RELEASED_STATUSES = frozenset({S.CANCELLED, S.REFUNDED})


@dataclass(frozen=True)
class TransitionRefused(Exception):
    """An illegal move; `code` tells the web layer which message and status to use."""

    code: str
    current: OrderStatus
    target: OrderStatus


def check_transition(current: OrderStatus, target: OrderStatus, actor: Actor) -> None:
    """Raise TransitionRefused unless `actor` may move an order from `current` to `target`."""
    allowed = TRANSITIONS.get((current, target))
    if allowed is None:
        raise TransitionRefused("illegal_transition", current, target)
    if actor not in allowed:
        raise TransitionRefused("not_allowed_for_actor", current, target)


def next_statuses(current: OrderStatus, actor: Actor) -> list[OrderStatus]:
    """Return the statuses `actor` may move an order to from `current`."""
    return [to for (frm, to), actors in TRANSITIONS.items() if frm == current and actor in actors]
