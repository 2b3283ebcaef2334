"""Read-only lookups of the store's allowed embedding origins."""

from datetime import datetime

from sqlalchemy import select

from storefront.extensions import db
from storefront.models import EmbedOrigin, Order
from storefront.tenancy import tenant_context


def allowed_origins(tenant_id: int) -> tuple[str, ...]:
    """Return the origins store `tenant_id` allows to embed it and call its API, sorted."""
    with tenant_context(tenant_id):
        statement = select(EmbedOrigin.origin).order_by(EmbedOrigin.origin)
        return tuple(db.session.scalars(statement))


def origin_rows() -> list[EmbedOrigin]:
    """Return the current store's allowed origins, sorted."""
    return list(db.session.scalars(select(EmbedOrigin).order_by(EmbedOrigin.origin)))


def origin_or_404(origin_id: int) -> EmbedOrigin:
    """Return one of the current store's origins, or answer 404."""
    return db.first_or_404(select(EmbedOrigin).where(EmbedOrigin.id == origin_id))


def orders_placed_since(shopper_id: int, since: datetime, limit: int = 20) -> list[Order]:
    """Return the shopper's orders placed at or after `since`, oldest first (host events)."""
    statement = (
        select(Order)
        .where(Order.shopper_id == shopper_id, Order.placed_at >= since)
        .order_by(Order.placed_at.desc(), Order.id.desc())
        .limit(limit)
    )
    return list(reversed(db.session.scalars(statement).all()))
