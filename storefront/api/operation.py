"""`operation`: the one decorator every API view wears (see the package docstring).

In order: authenticate the caller for the operation's `Access`, count it against its rate
limit, insist on a JSON body where one is expected, then (with `idempotent=True`) claim the
Idempotency-Key, and let spectree validate the query and body against their pydantic models
and the answer against its response model. The same models make the OpenAPI document.
"""

from collections.abc import Callable
from functools import wraps

from flask import current_app, request
from flask_babel import gettext as _
from pydantic import BaseModel, Field
from spectree import Response, SpecTree
from spectree.models import SecurityScheme, SecuritySchemeData

from storefront.api.auth import API_KEY, SHOPPER_TOKEN, Access, authenticate
from storefront.api.errors import ApiCode, ApiError
from storefront.api.idempotency import run_idempotently
from storefront.api.rate_limits import check_rate


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable machine-readable code")
    message: str = Field(description="For people, in the caller's language (Accept-Language)")
    fields: dict[str, str] = Field(description="Message per invalid field, if any")


class ErrorBody(BaseModel):
    """Every error under /api."""

    error: ErrorDetail


SECURITY_SCHEMES = [
    SecurityScheme(
        name=SHOPPER_TOKEN,
        data=SecuritySchemeData(
            type="http",
            scheme="bearer",
            description="A shopper's token (kjt_...) from POST .../auth/token; one store only.",
        ),
    ),
    SecurityScheme(
        name=API_KEY,
        data=SecuritySchemeData(
            type="http",
            scheme="bearer",
            description=(
                "A merchant's API key (kjk_...) from the console, for server-to-server calls. "
                "Scope read: store, catalog and product reads. Scope write: those and carts."
            ),
        ),
    ),
]
spec = SpecTree(
    "flask",
    mode="strict",
    title="Kuajing storefront API",
    version="1.0.0",
    description="The shopper API of one store: /api/v1/stores/{store_slug}/...",
    page_templates={},
    security_schemes=SECURITY_SCHEMES,
    validation_error_model=ErrorBody,
    naming_strategy=lambda model: model.__name__,
    nested_naming_strategy=lambda _parent, child: child,
)
_ERROR_STATUSES = (400, 401, 403, 404, 409, 422, 429)
_BODY_ERROR_STATUSES = (413, 415)


def operation(
    *,
    access: Access,
    responses: dict[int, type[BaseModel] | None],
    query: type[BaseModel] | None = None,
    body: type[BaseModel] | None = None,
    headers: type[BaseModel] | None = None,
    tags: tuple[str, ...] = (),
    idempotent: bool = False,
) -> Callable:
    """Make `view` an API operation (validated, documented, authenticated, limited)."""
    codes = {f"HTTP_{status}": model for status, model in responses.items()}
    errors = _ERROR_STATUSES + (_BODY_ERROR_STATUSES if body else ())
    for status in errors:
        codes.setdefault(f"HTTP_{status}", ErrorBody)

    def decorate(view: Callable) -> Callable:
        validated = spec.validate(
            query=query,
            json=body,
            headers=headers,
            resp=Response(**codes),
            tags=tags,
            security=access.security(),
            before=_refuse_invalid_request,
            after=_refuse_invalid_response,
        )(view)

        @wraps(validated)
        def run(*args, **kwargs):
            check_rate(authenticate(access))
            if body is not None:
                _require_json_body()
            call = lambda: validated(*args, **kwargs)  # noqa: E731 - run now or once per key
            return run_idempotently(call) if idempotent else call()

        return run

    return decorate


def _require_json_body() -> None:
    if (request.content_length or 0) > current_app.config["API_MAX_BODY_BYTES"]:
        raise ApiError(413, ApiCode.PAYLOAD_TOO_LARGE, _("The request is too large."))
    if not request.content_length and not request.get_data(cache=True):
        return  # no body: the model's defaults, or its required fields reported missing
    if request.mimetype != "application/json":
        raise ApiError(415, ApiCode.UNSUPPORTED_MEDIA_TYPE, _("Send the body as application/json."))
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # nested deeper than the parser goes: not a body we take
        body = None
    if body is None:
        raise ApiError(400, ApiCode.INVALID_REQUEST, _("The body is not valid JSON."))
    where = _nul_at(body)
    if where is not None:
        # PostgreSQL text cannot hold NUL: refused here, as forms are (storefront/input_hardening)
        message = _("This value contains a character that is not allowed.")
        fields = {where or "body": message}
        raise ApiError(422, ApiCode.INVALID_REQUEST, _("Some fields are not valid."), fields)


def _nul_at(body) -> str | None:
    """The dotted path of the first string (key or value) holding NUL in a JSON body, or None."""
    pending = [("", body)]
    while pending:
        path, value = pending.pop()
        if isinstance(value, dict):
            pairs = value.items()
        elif isinstance(value, list):
            pairs = enumerate(value)
        else:
            if isinstance(value, str) and "\x00" in value:
                return path
            continue
        for key, item in pairs:
            where = f"{path}.{key}" if path else str(key)
            if "\x00" in str(key):
                return where
            pending.append((where, item))
    return None


def _refuse_invalid_request(req, resp, error, instance, model_adapter) -> None:
    """spectree's hook after request validation: answer in the one error shape."""
    if error is None:
        return
    fields = {}
    for problem in error.errors():
        name = ".".join(str(part) for part in problem.get("loc", ())) or "body"
        fields.setdefault(name, _field_message(problem.get("type", "")))
    raise ApiError(422, ApiCode.INVALID_REQUEST, _("Some fields are not valid."), fields=fields)


def _field_message(kind: str) -> str:
    if kind == "missing":
        return _("This field is required.")
    if kind.endswith(("_too_long", "_too_short")):
        return _("This value's length is not allowed.")
    if kind.startswith(("greater_than", "less_than")):
        return _("This number is out of range.")
    return _("This value is not valid.")


def _refuse_invalid_response(req, resp, error, instance, model_adapter) -> None:
    """An answer that breaks its own schema is our bug: log it and answer 500 (internal)."""
    if error is not None:
        raise RuntimeError(f"response does not match its schema: {error}")
