"""Idempotency-Key for POSTs that create something (`operation(..., idempotent=True)`).

The first request with a key runs and its answer is stored; a retry with the same key and
the same request gets that answer again (header `Idempotent-Replayed: true`) without running
the use case; the same key with another request is refused (422), and a retry while the
first is still running gets 409 with Retry-After. Anonymous calls are not keyed: a network
address is not one caller (many shoppers share a carrier's address), and replaying one's answer
to another would hand over a cart; what an anonymous caller may create (a cart, a cart line) is
safe to create again. The claim is a unique insert committed
before the use case runs (storefront/services/idempotency.py), so two concurrent requests
with one key never both run. An unexpected failure drops the claim: the retry runs.
"""

import hashlib
import re
from collections.abc import Callable

from flask import Response, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from storefront.api.auth import current_credential
from storefront.api.errors import ApiCode, ApiError, api_error_for, error_response
from storefront.domain.errors import Refused
from storefront.services import idempotency
from storefront.services.errors import NotFound

HEADER = "Idempotency-Key"
_VALID_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")  # printable ASCII, no spaces
_EXPECTED = (ApiError, Refused, NotFound, HTTPException)


def run_idempotently(call: Callable[[], Response]) -> Response:
    """Run `call` once per Idempotency-Key of this caller; replay its answer afterwards."""
    key = request.headers.get(HEADER)
    if key is None or current_credential().kind == "anonymous":
        return call()
    if not _VALID_KEY.match(key):
        raise ApiError(
            400,
            ApiCode.INVALID_REQUEST,
            _("The Idempotency-Key must be 1 to 255 visible ASCII characters."),
            fields={HEADER: _("This value is not valid.")},
        )
    claim = idempotency.claim(current_credential().identity, key, _request_hash())
    if claim.record_id is None:
        return _answer_of_earlier(claim)
    try:
        response = call()
    except _EXPECTED as error:
        response = error_response(api_error_for(error))
    except Exception:
        idempotency.release(claim.record_id)
        raise
    if response.status_code >= 500 or response.status_code == 429:
        idempotency.release(claim.record_id)
    else:
        idempotency.finish(claim.record_id, response.status_code, response.get_data(as_text=True))
    return response


def _answer_of_earlier(claim: idempotency.Claim) -> Response:
    if not claim.same_request:
        raise ApiError(
            422,
            ApiCode.IDEMPOTENCY_KEY_REUSED,
            _("This Idempotency-Key was used for another request. Use a new key."),
            fields={HEADER: _("This value is not valid.")},
        )
    if claim.status is None:
        raise ApiError(
            409,
            ApiCode.IDEMPOTENCY_IN_PROGRESS,
            _("The first request with this Idempotency-Key is still running. Retry shortly."),
            headers={"Retry-After": "1"},
        )
    response = Response(claim.body, status=claim.status, mimetype="application/json")
    response.headers["Idempotent-Replayed"] = "true"
    return response


def _request_hash() -> str:
    digest = hashlib.sha256()
    for part in (request.method, request.path, request.query_string.decode("latin-1")):
        digest.update(part.encode() + b"\0")
    digest.update(request.get_data(cache=True))
    return digest.hexdigest()
