"""Cursor pagination for every API list: newest first by id, an opaque signed cursor.

A cursor names the last id seen, signed with the app's secret so a client can only hand
back what it was given (a forged or stale-format cursor is a 400 on `cursor`). Keyset
paging stays correct while rows are added, and costs one indexed range per page.
"""

from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from pydantic import BaseModel, Field
from sqlalchemy import Select

from storefront.api.errors import ApiCode, ApiError
from storefront.extensions import db

MAX_LIMIT = 100
DEFAULT_LIMIT = 20


class PageQuery(BaseModel):
    """The query arguments of every list: extend it with the list's own filters."""

    cursor: str | None = Field(None, max_length=200, description="`next_cursor` of a page")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page")


@dataclass(frozen=True)
class Page:
    items: list[Any]
    next_cursor: str | None


def paginate(statement: Select, id_column, query: PageQuery) -> Page:
    """Return one page of `statement` (newest first by `id_column`) after `query.cursor`."""
    statement = statement.order_by(id_column.desc())
    if query.cursor:
        statement = statement.where(id_column < _after(query.cursor))
    rows = db.session.scalars(statement.limit(query.limit + 1)).all()
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    cursor = _serializer().dumps({"after": rows[-1].id}) if more else None
    return Page(list(rows), cursor)


def _after(cursor: str) -> int:
    try:
        after = _serializer().loads(cursor)["after"]
    except (BadSignature, KeyError, TypeError) as error:
        raise _bad_cursor() from error
    if not isinstance(after, int) or isinstance(after, bool):
        raise _bad_cursor()
    return after


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="kuajing-api-cursor")


def _bad_cursor() -> ApiError:
    return ApiError(
        400,
        ApiCode.INVALID_REQUEST,
        _("This cursor is not valid. Start again from the first page."),
        fields={"cursor": _("This value is not valid.")},
    )
