"""The shopper's notifications: cursor-paged list, unread count, mark read.

Worded as the shop's notifications page words them (storefront/shop/messages.py), in the
caller's language; the services are the page's.
"""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field

from storefront.api import bp
from storefront.api.auth import SHOPPER_ONLY, current_shopper
from storefront.api.operation import operation
from storefront.api.pagination import PageQuery, paginate
from storefront.api.schemas import Request
from storefront.input_hardening import MAX_INT
from storefront.models import Notification as NotificationRow
from storefront.queries.notifications import notifications_statement
from storefront.services.notifications import mark_read, unread_count
from storefront.shop.messages import notification_text

MAX_IDS = 100
NoteId = Annotated[int, Field(ge=1, le=MAX_INT)]


class Notification(BaseModel):
    id: int
    kind: str = Field(description="shipped, refund, invoice, invoice_paper_declined, ...")
    text: str = Field(description="The message, in the caller's language")
    order_id: int | None = Field(description="The order it is about, if any")
    created_at: datetime
    read: bool


class NotificationPage(BaseModel):
    items: list[Notification]
    next_cursor: str | None


class Unread(BaseModel):
    unread: int = Field(description="Notifications not yet marked read")


class MarkRead(Request):
    ids: list[NoteId] | None = Field(
        None,
        max_length=MAX_IDS,
        description="The notifications to mark read; omitted or null: all of them",
    )


@bp.route("/stores/<store_slug>/notifications", methods=["GET"])
@operation(
    access=SHOPPER_ONLY,
    query=PageQuery,
    responses={200: NotificationPage},
    tags=("notifications",),
)
def notifications(query: PageQuery):
    """The shopper's notifications, newest first."""
    page = paginate(notifications_statement(current_shopper().id), NotificationRow.id, query)
    items = [_notification(row) for row in page.items]
    return NotificationPage(items=items, next_cursor=page.next_cursor)


@bp.route("/stores/<store_slug>/notifications/unread-count", methods=["GET"])
@operation(access=SHOPPER_ONLY, responses={200: Unread}, tags=("notifications",))
def unread():
    """How many notifications are unread (the badge)."""
    return Unread(unread=unread_count(current_shopper().id))


@bp.route("/stores/<store_slug>/notifications/read", methods=["POST"])
@operation(access=SHOPPER_ONLY, body=MarkRead, responses={200: Unread}, tags=("notifications",))
def read(json: MarkRead):
    """Mark some notifications read, or all of them; answer the unread count left."""
    shopper_id = current_shopper().id
    mark_read(shopper_id, json.ids)
    return Unread(unread=unread_count(shopper_id))


def _notification(row: NotificationRow) -> Notification:
    order_id = (row.params or {}).get("order_id")
    return Notification(
        id=row.id,
        kind=row.kind,
        text=notification_text(row),
        order_id=order_id if isinstance(order_id, int) else None,
        created_at=row.created_at,
        read=row.read_at is not None,
    )
