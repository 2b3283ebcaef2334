"""One error shape for everything under /api: {"error": {"code", "message", "fields"}}.

HTTP errors (404, 405, 413 ...), the API's own refusals (`ApiError`), the services' refusals
(`Refused`, with their ErrorCode, limit and mixing codes included) and lookups that found
nothing all answer in that shape, in the caller's language (Accept-Language). Anything
unexpected is logged and answered 500 with the code "internal": never an HTML page.
"""

import logging
from enum import StrEnum

from flask import Response, jsonify
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from storefront.domain.errors import ErrorCode, Refused
from storefront.extensions import db
from storefront.services.errors import NotFound

logger = logging.getLogger(__name__)


class ApiCode(StrEnum):
    """The API layer's own codes (the services' refusals keep their ErrorCode)."""

    INVALID_REQUEST = "invalid_request"  # the body or query does not match its schema
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    UNAUTHORIZED = "unauthorized"  # no credential, or one this store does not know
    FORBIDDEN = "forbidden"  # a credential of the wrong kind or scope for this operation
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    STORE_UNAVAILABLE = "store_unavailable"  # the store is closed or suspended
    RATE_LIMITED = "rate_limited"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"  # same key, another request
    IDEMPOTENCY_IN_PROGRESS = "idempotency_in_progress"  # same key, first one still running
    PAYLOAD_TOO_LARGE = "payload_too_large"
    INTERNAL = "internal"


class ApiError(Exception):
    """Refuse an API request with a status, a code, a message and per-field messages."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        fields: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message = status, str(code), message
        self.fields, self.headers = fields or {}, headers or {}


def error_response(error: ApiError) -> Response:
    """Render an ApiError in the one shape."""
    body = {"error": {"code": error.code, "message": error.message, "fields": error.fields}}
    response = jsonify(body)
    response.status_code = error.status
    response.headers.update(error.headers)
    return response


def api_error_for(exception: Exception) -> ApiError:
    """Translate any exception raised under /api into the ApiError that answers it."""
    if isinstance(exception, ApiError):
        return exception
    if isinstance(exception, Refused):
        # A refused use case leaves nothing behind: its pending changes are dropped before
        # the answer is built (an Idempotency-Key's answer is stored by a commit after this).
        db.session.rollback()
        return _refusal(exception)
    if isinstance(exception, NotFound):
        return not_found()
    if isinstance(exception, HTTPException):
        return _http_error(exception)
    logger.exception("unexpected error under /api")
    db.session.rollback()  # the failed transaction must not take the answer down too
    return ApiError(500, ApiCode.INTERNAL, _("Something went wrong. Please try again."))


def not_found() -> ApiError:
    return ApiError(404, ApiCode.NOT_FOUND, _("Not found."))


def _http_error(error: HTTPException) -> ApiError:
    status = error.code or 500
    headers = dict(error.get_headers())
    headers.pop("Content-Type", None)
    if status == 404:
        return not_found()
    codes = {
        400: (ApiCode.INVALID_REQUEST, _("The request could not be understood.")),
        403: (ApiCode.FORBIDDEN, _("You do not have access to this page.")),
        405: (ApiCode.METHOD_NOT_ALLOWED, _("This action is not allowed here.")),
        413: (ApiCode.PAYLOAD_TOO_LARGE, _("The request is too large.")),
        415: (ApiCode.UNSUPPORTED_MEDIA_TYPE, _("Send the body as application/json.")),
        429: (ApiCode.RATE_LIMITED, _("Too many requests. Please wait a moment.")),
    }
    if status >= 500:
        logger.error("HTTP %s under /api: %s", status, error.description)
        return ApiError(500, ApiCode.INTERNAL, _("Something went wrong. Please try again."))
    code, message = codes.get(status, (ApiCode.INVALID_REQUEST, _("The request was refused.")))
    return ApiError(status, code, message, headers=headers)


# Refusals that are not "the state does not allow it" (409).
_REFUSAL_STATUS = {ErrorCode.WRONG_CREDENTIALS: 401, ErrorCode.THROTTLED: 429}


def _refusal(refused: Refused) -> ApiError:
    # The shopper's wording of every refusal is kept once, with the shop's pages.
    from storefront.shop.messages import refusal_message

    status = _REFUSAL_STATUS.get(refused.code, 409)
    return ApiError(status, refused.code, refusal_message(refused), fields=_fields(refused))


def _fields(refused: Refused) -> dict[str, str]:
    errors = getattr(refused, "errors", None)  # settings refusals name their fields
    return {str(key): str(value) for key, value in errors.items()} if errors else {}
