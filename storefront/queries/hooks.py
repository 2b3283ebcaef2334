"""Webhook endpoints and deliveries of the merchant."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from storefront.extensions import db
from storefront.models import WebhookDelivery, WebhookEndpoint
from storefront.services.errors import NotFound


def endpoints() -> list[WebhookEndpoint]:
    return db.session.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.id)).all()


def deliveries(page: int, per_page: int):
    statement = (
        select(WebhookDelivery)
        .options(selectinload(WebhookDelivery.endpoint))
        .order_by(WebhookDelivery.id.desc())
    )
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def endpoint(endpoint_id: int) -> WebhookEndpoint:
    """Return one of the store's endpoints or raise NotFound."""
    row = db.session.scalar(select(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id))
    if row is None:
        raise NotFound("WebhookEndpoint")
    return row
