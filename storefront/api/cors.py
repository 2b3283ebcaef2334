"""CORS for the API (issue 14, SPEC §10): a store's embedding origins may call its API.

One list, the store's allowed embedding origins (storefront.services.embedding), names both
the sites that may frame the store's pages and the sites whose scripts may read its API's
answers. An allowed origin is echoed in `Access-Control-Allow-Origin` (never "*", never an
origin that is not on the list) with `Vary: Origin`, on answers and refusals alike (a front
end must be able to read a 401, a 429's Retry-After or "this store is closed"). Credentials
are bearer headers, never cookies, so `Access-Control-Allow-Credentials` is never sent.

A preflight (OPTIONS with Access-Control-Request-Method) is answered 204 before the store's
checks, the credential and the rate limit: a browser sends it without the Authorization
header, and it must not spend the caller's requests. An unknown store answers 404; an origin
that is not allowed gets the 204 without CORS headers, so the browser stops there.

The OpenAPI document is public and the same for every store: any origin may read it
("*"), so a developer's tools hosted elsewhere can load it. The reference page (/docs) is a
page to read, not a resource to fetch, and gets no CORS headers.
"""

from flask import Blueprint, Response, current_app, g, request
from flask_babel import gettext as _
from sqlalchemy import select

from storefront.api.errors import ApiCode, ApiError
from storefront.extensions import db
from storefront.models import Tenant
from storefront.services.embedding import is_allowed

ALLOWED_HEADERS = "Authorization, Content-Type, Idempotency-Key, Accept-Language"
# what a client reads besides the safelisted headers: the wait of a 429 or of an idempotent
# retry, a replayed answer's mark, an invoice file's name, and why a credential was refused
EXPOSED_HEADERS = "Retry-After, Idempotent-Replayed, Content-Disposition, WWW-Authenticate"
# Chromium caps a preflight's cache at 2 hours. Removing an origin still takes effect at
# once: every answer checks the list again before it names the origin.
MAX_AGE_SECONDS = 7200
DOCUMENT_ENDPOINT = "api.openapi_document"


def init_blueprint(blueprint: Blueprint) -> None:
    """Answer preflights and name the allowed origin on every answer under `blueprint`."""
    blueprint.before_request(_answer_preflight)
    blueprint.after_request(_add_headers)
    blueprint.teardown_request(_forget_store)


def is_preflight() -> bool:
    """Tell whether this request is a browser's CORS preflight."""
    return request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers


def remember_store(slug: str) -> None:
    """Note the store of the path, so that refusals before its checks still answer CORS."""
    g.api_store_slug = slug


def _answer_preflight() -> Response | None:
    """Answer a preflight for a store's path (204; its CORS headers follow in _add_headers)."""
    if not is_preflight() or g.get("api_store_slug") is None:
        return None  # the store-less paths keep Flask's own OPTIONS answer
    if _store_id() is None:
        raise ApiError(404, ApiCode.NOT_FOUND, _("There is no store at this address."))
    return current_app.response_class(status=204)


def _add_headers(response: Response) -> Response:
    """Name the request's origin on the answer when its store allows it (after every answer)."""
    if request.endpoint == DOCUMENT_ENDPOINT and request.method in ("GET", "HEAD"):
        response.headers["Access-Control-Allow-Origin"] = "*"
        return response
    if g.get("api_store_slug") is None:
        return response
    response.vary.add("Origin")  # the same URL answers each origin differently: caches key on it
    origin = request.headers.get("Origin")
    store_id = _store_id() if origin else None
    if store_id is None or not is_allowed(store_id, origin):
        return response
    headers = response.headers
    headers["Access-Control-Allow-Origin"] = origin
    if is_preflight():
        # every method of the path (one rule per method here), as Flask's own OPTIONS answer
        allowed = current_app.make_default_options_response().allow
        methods = sorted(method for method in allowed if method not in ("HEAD", "OPTIONS"))
        headers["Access-Control-Allow-Methods"] = ", ".join(methods)
        headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        headers["Access-Control-Max-Age"] = str(MAX_AGE_SECONDS)
    else:
        headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return response


def _forget_store(exc) -> None:
    # the app context can outlive the request (tests, the CLI): the next one starts clean
    g.pop("api_store_slug", None)
    g.pop("api_store_id", None)


def _store_id() -> int | None:
    """The id of the path's store, open or not (once per request), or None if there is none."""
    if "api_store_id" not in g:
        tenant = g.get("tenant")
        g.api_store_id = (
            tenant.id
            if tenant is not None
            else db.session.scalar(select(Tenant.id).where(Tenant.slug == g.api_store_slug))
        )
    return g.api_store_id
