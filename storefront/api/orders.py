"""The shopper's orders: cursor-paged list, detail, cancel, receipt, review, invoice files.

The pages' use cases (services.fulfilment) and look-ups (queries.orders): an order of
another shopper, or of another store, is not found (404) whatever its id.
"""

from typing import Literal

from flask import Response
from pydantic import Field

from storefront.api import bp
from storefront.api.auth import SHOPPER_ONLY, current_shopper
from storefront.api.errors import not_found
from storefront.api.operation import operation
from storefront.api.order_schemas import (
    LineReview,
    OrderDetail,
    OrderPage,
    order_detail,
    order_summary,
)
from storefront.api.pagination import PageQuery, paginate
from storefront.api.schemas import Request
from storefront.domain.orders import Actor, OrderStatus
from storefront.input_hardening import MAX_INT
from storefront.models import Order
from storefront.queries import orders as order_queries
from storefront.queries.invoices import order_invoice_file
from storefront.services import fulfilment

MEDIA_TYPES = {"pdf": "application/pdf", "xml": "application/xml"}
StatusFilter = Literal[tuple(str(status) for status in OrderStatus)]  # type: ignore[valid-type]


class OrdersQuery(PageQuery):
    status: StatusFilter | None = Field(None, description="Only orders in this status")


class ReviewBody(Request):
    line_id: int = Field(ge=1, le=MAX_INT, description="The `id` of one of the order's lines")
    rating: int = Field(ge=1, le=5, description="Stars, 1 to 5")
    body: str = Field("", max_length=2000)


class Review(LineReview):
    line_id: int


@bp.route("/stores/<store_slug>/orders", methods=["GET"])
@operation(access=SHOPPER_ONLY, query=OrdersQuery, responses={200: OrderPage}, tags=("orders",))
def orders(query: OrdersQuery):
    """The shopper's orders, newest first, optionally of one status."""
    statement = order_queries.shopper_orders_statement(current_shopper().id, query.status)
    page = paginate(statement, Order.id, query)
    return OrderPage(items=[order_summary(row) for row in page.items], next_cursor=page.next_cursor)


@bp.route("/stores/<store_slug>/orders/<int:order_id>", methods=["GET"])
@operation(access=SHOPPER_ONLY, responses={200: OrderDetail}, tags=("orders",))
def order(order_id: int):
    """One order: lines, taxes, totals, logistics, customs progress, invoice, history."""
    return order_detail(_own_order(order_id))


@bp.route("/stores/<store_slug>/orders/<int:order_id>/cancel", methods=["POST"])
@operation(access=SHOPPER_ONLY, responses={200: OrderDetail}, tags=("orders",))
def cancel(order_id: int):
    """Cancel an order that is not paid yet (its stock and quota are given back)."""
    row = _own_order(order_id)
    fulfilment.cancel(row, Actor.SHOPPER, f"shopper:{current_shopper().id}")
    return order_detail(row)


@bp.route("/stores/<store_slug>/orders/<int:order_id>/receipt", methods=["POST"])
@operation(access=SHOPPER_ONLY, responses={200: OrderDetail}, tags=("orders",))
def confirm_receipt(order_id: int):
    """Confirm the goods arrived (only once the order has shipped)."""
    row = _own_order(order_id)
    fulfilment.confirm_receipt(row)
    return order_detail(row)


@bp.route("/stores/<store_slug>/orders/<int:order_id>/reviews", methods=["POST"])
@operation(
    access=SHOPPER_ONLY,
    body=ReviewBody,
    responses={201: Review},
    tags=("orders",),
    idempotent=True,
)
def review(order_id: int, json: ReviewBody):
    """Review one line of a received order, once."""
    row = _own_order(order_id)
    written = fulfilment.review(row, json.line_id, json.rating, json.body)
    return Review(line_id=json.line_id, rating=written.rating, body=written.body), 201


@bp.route(
    "/stores/<store_slug>/orders/<int:order_id>/invoices/<int:invoice_id>"
    ".<any(pdf, xml):invoice_format>",
    methods=["GET"],
)
@operation(access=SHOPPER_ONLY, responses={200: None}, tags=("orders",))
def invoice_file(order_id: int, invoice_id: int, invoice_format: str):
    """Download an issued invoice of the order: its PDF, or its structured XML."""
    row = _own_order(order_id)
    stored = order_invoice_file(row.id, invoice_id, MEDIA_TYPES[invoice_format])
    if stored is None:
        raise not_found()
    return Response(
        stored.content,
        mimetype=stored.media_type,
        headers={"Content-Disposition": f"attachment; filename={stored.name}"},
    )


def _own_order(order_id: int) -> Order:
    return order_queries.shopper_order_or_404(current_shopper(), order_id)
