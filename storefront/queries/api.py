"""Lookups of the JSON API's rows: carts by their public id, the store's API keys."""

from sqlalchemy import select

from storefront.extensions import db
from storefront.models.api import ApiCart, ApiKey


def cart_by_public_id(public_id: str) -> ApiCart | None:
    """Return the store's cart with this public id, or None."""
    return db.session.scalar(select(ApiCart).where(ApiCart.public_id == public_id))


def api_keys() -> list[ApiKey]:
    """Return the store's API keys, live ones first, newest first."""
    return db.session.scalars(
        select(ApiKey).order_by(ApiKey.revoked_at.is_not(None), ApiKey.id.desc())
    ).all()
