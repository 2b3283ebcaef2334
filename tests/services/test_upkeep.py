"""Scheduled upkeep: unpaid orders expire and free their quota; receipt is auto-confirmed."""

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

from storefront.domain.orders import OrderStatus
from storefront.extensions import db
from storefront.models import Order
from storefront.services import quota
from storefront.services.checkout import PlacementRequest, place_order
from storefront.services.fulfilment import sweep
from storefront.tenancy import tenant_context

NOW = datetime(2026, 11, 22, 4, 0, tzinfo=UTC)


def test_unpaid_orders_expire_and_release_quota_shipped_ones_are_received(app, tenants):
    a = tenants.a
    with app.test_request_context(), tenant_context(a.tenant.id):
        placed = place_order(
            a.tenant,
            a.shopper,
            PlacementRequest(
                items={a.product.id: 1},
                identity_id=a.identity.id,
                address_id=a.address.id,
                token=uuid.uuid4().hex,
                expected_total=None,
            ),
            NOW - timedelta(minutes=31),
        )
        shipped = a.order
        shipped.status, shipped.shipped_at = OrderStatus.SHIPPED, NOW - timedelta(days=11)
        fresh = place_order(
            a.tenant,
            a.shopper,
            PlacementRequest(
                items={a.product.id: 1},
                identity_id=a.identity.id,
                address_id=a.address.id,
                token=uuid.uuid4().hex,
                expected_total=None,
            ),
            NOW - timedelta(minutes=5),
        )
        counts = sweep(NOW, timedelta(minutes=30), timedelta(days=10))
        assert counts == {"expired": 1, "received": 1}
        assert placed.orders[0].status == OrderStatus.CANCELLED
        assert fresh.orders[0].status == OrderStatus.PENDING_PAYMENT
        assert db.session.get(Order, shipped.id).status == OrderStatus.RECEIVED
        usage = quota.usage(quota.person_hash(a.identity.id_number), NOW)
        assert usage.annual == D("877.45")  # only the fresh order still holds quota
