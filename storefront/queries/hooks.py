"""Webhook endpoints and deliveries of the merchant."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from storefront.extensions import db
from storefront.models import WebhookDelivery, WebhookEndpoint


def endpoints() -> list[WebhookEndpoint]:
    return db.session.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.id)).all()


def deliveries(page: int, per_page: int):
    statement = (
        select(WebhookDelivery)
        .options(selectinload(WebhookDelivery.endpoint))
        .order_by(WebhookDelivery.id.desc())
    )
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)
