"""Domain events: what happened to an aggregate, named once for subscribers and webhooks."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from storefront.domain.orders import OrderStatus


class EventName(StrEnum):
    ORDER_PLACED = "order.placed"
    ORDER_PAID = "order.paid"
    ORDER_SHIPPED = "order.shipped"
    ORDER_RECEIVED = "order.received"
    ORDER_COMPLETED = "order.completed"
    ORDER_CANCELLED = "order.cancelled"
    ORDER_REFUNDED = "order.refunded"
    ORDER_RETURNED = "order.returned"
    REFUND_MADE = "refund.made"  # any refund, partial or full, from the console or provider
    # the platform operator decided on a tenant's reviewed item (storefront.services.reviews);
    # facts: kind, subject_id, action, to_state, version
    REVIEW_DECIDED = "review.decided"


# The event each status raises when an order reaches it (PENDING_PAYMENT is "placed").
STATUS_EVENTS: Mapping[OrderStatus, EventName] = {
    OrderStatus.PENDING_PAYMENT: EventName.ORDER_PLACED,
    OrderStatus.PAID: EventName.ORDER_PAID,
    OrderStatus.SHIPPED: EventName.ORDER_SHIPPED,
    OrderStatus.RECEIVED: EventName.ORDER_RECEIVED,
    OrderStatus.COMPLETED: EventName.ORDER_COMPLETED,
    OrderStatus.CANCELLED: EventName.ORDER_CANCELLED,
    OrderStatus.REFUNDED: EventName.ORDER_REFUNDED,
    OrderStatus.RETURNED: EventName.ORDER_RETURNED,
}


@dataclass(frozen=True)
class DomainEvent:
    """One committed event as subscribers receive it: ids and facts, never ORM objects."""

    id: int
    name: EventName
    tenant_id: int
    order_id: int | None
    occurred_at: datetime
    data: Mapping[str, str] = field(default_factory=dict)
