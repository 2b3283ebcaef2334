"""One input-hardening layer for every area: hostile input is a clear 4xx, never a 500.

- NUL (which PostgreSQL text cannot hold) anywhere in the path, a query or a form, and
  control characters in the path or a query (no header can carry them), are refused with
  a 400 that says so, before any view or tenant look-up runs.
- Query strings are bounded (414): nothing huge is ever reflected into a page or a header.
- Integers, in URLs (`<int:...>`), queries and forms, stay within PostgreSQL's integer;
  decimals must be finite and within their column (NUMERIC(14, 2) money, NUMERIC(7, 4) rates).
- `link_with_query()` builds links that keep the current query string: query keys are
  encoded as the query, never passed to url_for as arguments, so `?endpoint=` or `?fmt=`
  cannot steer (or break) the link.
"""

import re
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from flask import Flask, abort, make_response, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter
from wtforms import DecimalField, IntegerField

from storefront.domain.errors import ErrorCode
from storefront.errors import json_error, wants_json

MAX_INT = 2**31 - 1  # PostgreSQL integer, the type of every id and count column
MAX_PAGE = 100_000
MONEY_LIMIT = Decimal(10) ** 12  # NUMERIC(14, 2)
RATE_LIMIT = Decimal(1000)  # NUMERIC(7, 4)
MAX_QUERY_BYTES = 4096
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` up to MAX_INT: a larger id is a 404 like any id that does not exist."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=MAX_INT, signed=False):
        super().__init__(url_map, fixed_digits, min, max, signed)


def record_id(text) -> int:
    """Parse an id (query `type=`, select `coerce=`): 1..MAX_INT, else ValueError."""
    number = int(text)
    if not 1 <= number <= MAX_INT:
        raise ValueError("id out of range")
    return number


def page_number(text) -> int:
    """Parse ?page=: 1..MAX_PAGE, else ValueError (the caller's default applies)."""
    number = int(text)
    if not 1 <= number <= MAX_PAGE:
        raise ValueError("page out of range")
    return number


def finite_decimal(text: str, limit: Decimal = MONEY_LIMIT) -> Decimal:
    """Parse a decimal that is finite and below `limit` in size, else ValueError."""
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, AttributeError) as error:
        raise ValueError("not a number") from error
    if not _within(value, limit):
        raise ValueError("not a finite number within range")
    return value


def _within(value: Decimal, limit: Decimal) -> bool:
    # copy_abs, not abs(): abs() rounds in the context and overflows on a million digits
    return value.is_finite() and value.copy_abs() < limit


class BoundedDecimalField(DecimalField):
    """A DecimalField that refuses NaN, infinities and numbers its column cannot hold."""

    def __init__(self, *args, limit: Decimal = MONEY_LIMIT, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.limit = limit

    def process_formdata(self, valuelist) -> None:
        super().process_formdata(valuelist)
        if self.data is not None and (
            not self.data.is_finite() or self.data.copy_abs() >= self.limit
        ):
            self.data = None
            raise ValueError(_l("Enter a number below %(limit)s.", limit=f"{self.limit:,}"))


class BoundedIntegerField(IntegerField):
    """An IntegerField that refuses numbers a PostgreSQL integer cannot hold."""

    def process_formdata(self, valuelist) -> None:
        super().process_formdata(valuelist)
        if self.data is not None and not -MAX_INT <= self.data <= MAX_INT:
            self.data = None
            raise ValueError(_l("Enter a whole number below %(limit)s.", limit=f"{MAX_INT:,}"))


def link_with_query(endpoint: str, path_values: dict | None = None, **changes) -> str:
    """Return the URL of `endpoint` with this request's query string, `changes` applied."""
    query = request.args.to_dict(flat=False)
    query.update({key: [value] for key, value in changes.items()})
    path = url_for(endpoint, **(path_values or {}))
    return f"{path}?{urlencode(query, doseq=True)}" if query else path


def refuse_hostile_input(_endpoint, _values) -> None:
    """Answer 400/414 before any look-up when the request carries what nothing may store."""
    if len(request.query_string) > MAX_QUERY_BYTES:
        abort(414)
    queried = [request.path, *_texts(request.args)]
    if any(CONTROL.search(text) for text in queried):
        _refuse(_("Addresses may not contain control characters such as NUL or line breaks."))
    if any("\x00" in text for text in _texts(request.form)):
        _refuse(_("The form contains a NUL character, which is not allowed. Remove it and retry."))


def _texts(values) -> list[str]:
    """Every key and every value of a MultiDict (a repeated key has several values)."""
    return [text for pair in values.items(multi=True) for text in pair]


def _refuse(message: str) -> None:
    if wants_json():
        abort(make_response(*json_error(400, ErrorCode.INVALID_CHARACTERS, message)))
    abort(make_response(render_template("errors/error.html", status=400, message=message), 400))


def init_app(app: Flask) -> None:
    """Bound `<int:...>` (before any blueprint adds rules) and check every request first."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.url_value_preprocessor(refuse_hostile_input)  # the app's run before the blueprints'
    app.jinja_env.globals["link_with_query"] = link_with_query
