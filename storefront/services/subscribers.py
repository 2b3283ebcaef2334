"""The built-in subscribers of domain events (plugins add theirs by entry point)."""

from storefront.domain.events import EventName
from storefront.events import Subscriber
from storefront.jobs.customs import open_on_payment
from storefront.jobs.invoices import (
    INVOICE_EVENTS,
    REVIEW_EVENTS,
    on_order_event,
    on_review_decided,
)
from storefront.services.notifications import SHOPPER_EVENTS, tell_shopper
from storefront.services.order_events import WEBHOOK_EVENTS, queue_deliveries

BUILT_IN_SUBSCRIBERS = (
    Subscriber("merchant-webhooks", WEBHOOK_EVENTS, queue_deliveries),
    Subscriber("shopper-notifications", SHOPPER_EVENTS, tell_shopper),
    Subscriber("customs-declaration", frozenset({EventName.ORDER_PAID}), open_on_payment),
    Subscriber("invoices", INVOICE_EVENTS, on_order_event),
    Subscriber("invoice-issuer-approval", REVIEW_EVENTS, on_review_decided),
)
