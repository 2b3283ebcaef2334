"""The JSON API at /api/v1 (issue 14): what a front end or a merchant's server needs.

A thin layer over the same services and queries as the HTML pages (no second copy of any
rule). Requests carry a bearer credential, never cookies, so the blueprint is exempt from
CSRF. `/api/v1/openapi.json` is the OpenAPI 3.1 document, `/api/v1/docs` its reference page
rendered on the server (works offline).

Why spectree with pydantic v2: it validates each request from pydantic models and builds
the OpenAPI document from those same models (pydantic's JSON Schema is draft 2020-12, the
dialect of OpenAPI 3.1), so the document cannot drift from what is enforced; it decorates
plain Flask views on a plain Blueprint (apiflask and flask-openapi3 want their own Flask
subclass, flask-smorest takes over the app's error handlers and speaks marshmallow).

How to add an endpoint
----------------------
1. Schemas: pydantic models (request body, query, response) in the module of the endpoint,
   or `storefront/api/schemas.py` when shared. Money is a string with two decimals, as in
   the cart quote. Lists use `pagination.PageQuery` (extend it with filters) and answer
   `{"items": [...], "next_cursor": str | None}` built by `pagination.paginate()`.
2. The view, in a module imported at the bottom of this file::

       @bp.route("/stores/<store_slug>/things/<int:thing_id>", methods=["GET"])
       @operation(access=PUBLIC_READ, responses={200: Thing}, tags=("catalog",))
       def thing(thing_id: int):
           "One thing (the first docstring line is the operation's summary)."
           return Thing(...)

   `<store_slug>` is resolved before the view: the store becomes the request's tenant
   (unknown: 404; closed or suspended: 403 `store_unavailable`); the view does not get it.
   A validated body arrives as the keyword `json: Model`, a query as `query: Model`
   (declare them as parameters with those names and types; pass `body=` / `query=` too).
   Return a model instance (or a dict of the response model's shape) and, if not 200,
   a status: `return Thing(...), 201`. A path argument that names a row must be mapped in
   tests/support/routes.py (OBJECT_IDS) for the isolation and hostile-input sweeps.
3. Auth: `access=` one of `auth.PUBLIC_READ` (anyone, read keys too), `auth.CART_WRITE`
   (anyone, write keys), `auth.SHOPPER_ONLY` (a shopper token), `auth.ANYONE` (no key);
   `auth.current_shopper()` / `auth.current_credential()` inside the view. The security
   requirements in the document follow from it.
4. Errors: raise `errors.ApiError(status, code, message, fields)` for the API's own
   refusals; let services raise `Refused` (409 with its ErrorCode; wrong credentials 401,
   throttled 429) or `NotFound` (404); `abort(404)`/`first_or_404` also answer in the one
   shape. Messages are translated (`gettext`): the caller's Accept-Language decides.
5. Idempotency: `idempotent=True` on every POST that creates something; the caller's
   `Idempotency-Key` then makes retries return the first answer and run nothing
   (storefront/api/idempotency.py).
6. Rate limits apply to every operation (per key, per token, per address: config
   API_RATE_LIMIT_*). Then add the msgids' Chinese and a test, and run
   tests/api/test_contract.py: it exercises every operation of the document.
"""

from flask import Blueprint, Flask, current_app, request
from flask_babel import gettext as _
from sqlalchemy import select

from storefront.api import cors
from storefront.api.errors import ApiCode, ApiError, api_error_for, error_response
from storefront.extensions import db
from storefront.models import Tenant
from storefront.queries.stores import active_store
from storefront.web import set_request_tenant

bp = Blueprint("api", __name__, url_prefix="/api/v1", template_folder="templates")


@bp.url_value_preprocessor
def _resolve_store(endpoint, values) -> None:
    """Make the path's store the tenant of the request; the credential is checked after."""
    request.max_content_length = _max_body()
    if not values or "store_slug" not in values:
        return
    slug = values.pop("store_slug")
    cors.remember_store(slug)
    if cors.is_preflight():
        return  # a browser asks whether it may call: answered before any check (api.cors)
    # The shop's read of the store: its row and limit policy in one statement, so that no
    # operation reads the policy again (a catalog page read it once per product).
    tenant = active_store(slug)
    if tenant is None and db.session.scalar(select(Tenant.id).where(Tenant.slug == slug)) is None:
        raise ApiError(404, ApiCode.NOT_FOUND, _("There is no store at this address."))
    if tenant is None or tenant.suspended_at is not None or tenant.opened_at is None:
        raise ApiError(403, ApiCode.STORE_UNAVAILABLE, _("This store is closed at the moment."))
    set_request_tenant(tenant)


cors.init_blueprint(bp)


def _max_body() -> int:
    return current_app.config["API_MAX_BODY_BYTES"]


@bp.errorhandler(Exception)
def _answer_error(exception: Exception):
    return error_response(api_error_for(exception))


def init_app(app: Flask) -> None:
    """Mount the API (CSRF-exempt: bearer credentials, no cookies) and its rate counters."""
    from storefront.api import rate_limits
    from storefront.extensions import csrf

    rate_limits.init_app(app)
    csrf.exempt(bp)
    app.register_blueprint(bp)


from storefront.api import (  # noqa: E402, F401 - routes register on import
    account,
    cart,
    catalog,
    checkout,
    docs,
    notifications,
    orders,
    password_reset,
    sessions,
    store,
)
