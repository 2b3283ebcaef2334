"""The order state machine (SPEC §5): statuses, the transition table, who may move what."""

from enum import StrEnum

from storefront.domain.errors import ErrorCode, Refused


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
    PARTIAL_REFUND = "partial_refund"  # amount (the status stays)
    UNWANTED_PAYMENT_REFUNDED = "unwanted_payment_refunded"  # reference, amount


S = OrderStatus
# (from, to) -> who may make the move. Partial refunds keep the status (a refund record).
TRANSITIONS: dict[tuple[OrderStatus, OrderStatus], frozenset[Actor]] = {
    (S.PENDING_PAYMENT, S.PAID): frozenset({Actor.SYSTEM}),
    (S.PENDING_PAYMENT, S.CANCELLED): frozenset({Actor.SHOPPER, Actor.MERCHANT, Actor.SYSTEM}),
    # the merchant ships; the bonded warehouse ships what customs released (SPEC §6)
    (S.PAID, S.SHIPPED): frozenset({Actor.MERCHANT, Actor.SYSTEM}),
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


def returns_stock(current: OrderStatus, target: OrderStatus) -> bool:
    """Say whether the move gives the goods back to stock (SPEC §4: cancel, expiry, refund).

    Only when the goods are in the warehouse: never shipped (cancelled, refunded while paid)
    or sent back (refunded after a return); a refund of goods the shopper keeps does not.
    """
    if target == S.CANCELLED:
        return True
    return target == S.REFUNDED and current in (S.PAID, S.RETURNED)


class TransitionRefused(Refused):
    """An illegal move; `code` tells the web layer which message and status to use."""

    def __init__(self, code: ErrorCode, current: OrderStatus, target: OrderStatus) -> None:
        super().__init__(code, f"{current} -> {target}")
        self.current, self.target = current, target


def check_transition(current: OrderStatus, target: OrderStatus, actor: Actor) -> None:
    """Raise TransitionRefused unless `actor` may move an order from `current` to `target`."""
    allowed = TRANSITIONS.get((current, target))
    if allowed is None:
        raise TransitionRefused(ErrorCode.ILLEGAL_TRANSITION, current, target)
    if actor not in allowed:
        raise TransitionRefused(ErrorCode.NOT_ALLOWED_FOR_ACTOR, current, target)


def check_shipment(current: OrderStatus, exchange: bool) -> None:
    """Raise TransitionRefused unless the merchant may ship: a first shipment leaves a paid
    order, a replacement (换货, seed 002 §2.3) leaves a received one, nothing else."""
    check_transition(current, S.SHIPPED, Actor.MERCHANT)
    if exchange != (current == S.RECEIVED):
        raise TransitionRefused(ErrorCode.ILLEGAL_TRANSITION, current, S.SHIPPED)


def refund_allowed(current: OrderStatus, paid: bool) -> bool:
    """Say whether the merchant may still give money back: wherever the table allows a refund,
    and for a paid order the merchant cancelled (it stays cancelled; the refund is logged)."""
    if not paid:
        return False
    return current == S.CANCELLED or S.REFUNDED in next_statuses(current, Actor.MERCHANT)


def next_statuses(current: OrderStatus, actor: Actor) -> list[OrderStatus]:
    """Return the statuses `actor` may move an order to from `current`."""
    return [to for (frm, to), actors in TRANSITIONS.items() if frm == current and actor in actors]
