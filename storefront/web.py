"""Request-scoped tenancy for the web layers: the tenant is resolved once per request."""

from urllib.parse import urlsplit

from flask import Blueprint, Flask, abort, g, make_response, render_template, request
from flask_babel import gettext as _
from flask_babel import refresh as refresh_babel

from storefront.domain.errors import ErrorCode
from storefront.models import Tenant
from storefront.queries.stores import StoreView, active_store, embedding_origins
from storefront.tenancy import enter_tenant, leave_tenant


def init_tenancy(app: Flask) -> None:
    app.teardown_request(_leave_request_tenant)


def set_request_tenant(tenant: "Tenant | StoreView") -> None:
    """Make `tenant` the tenant of this request (filter, stamping, templates)."""
    g.tenant = tenant
    g.tenant_token = enter_tenant(tenant.id)


def _leave_request_tenant(exc) -> None:
    """End the request's tenant, user and language, even if the app context lives on (tests)."""
    token = g.pop("tenant_token", None)
    if token is not None:
        leave_tenant(token)
    g.pop("tenant", None)
    g.pop("frame_ancestors", None)  # read again, if at all, by the next store request
    g.pop("_login_user", None)
    refresh_babel()


def store_blueprint(name: str, import_name: str, **options) -> Blueprint:
    """A blueprint under /s/<store_slug>/ whose requests run as that store's tenant."""
    blueprint = Blueprint(name, import_name, url_prefix="/s/<store_slug>", **options)

    @blueprint.url_value_preprocessor
    def _resolve_store(endpoint, values) -> None:
        slug = (values or {}).pop("store_slug", None)
        tenant = active_store(slug)  # read each request; the process reuses its view
        if tenant is None:
            abort(404)
        set_request_tenant(tenant)
        if tenant.suspended_at is not None or tenant.opened_at is None:
            # these pages answer before the store's own hooks (storefront.shop.embedding): a
            # host page that embeds the store shows them framed, not a browser refusal (§10)
            g.frame_ancestors = embedding_origins(tenant)
        if tenant.suspended_at is not None:
            abort(closed_store_response())
        if tenant.opened_at is None:  # approved, not yet opened by its owner (issue 13)
            abort(opening_soon_response())

    @blueprint.url_defaults
    def _add_store_slug(endpoint, values) -> None:
        if "store_slug" not in values and g.get("tenant") is not None:
            values["store_slug"] = g.tenant.slug

    return blueprint


def closed_store_response():
    """Every page of a suspended store: 503, the store is there but closed for a while (not a
    403: the visitor did nothing wrong; crawlers keep the pages for when it reopens)."""
    from storefront.errors import json_error, wants_json  # errors imports the web layers
    from storefront.i18n import remember_language_choice

    remember_language_choice()  # this page answers before the app's before_request hooks
    refresh_babel()
    message = _("This store is closed for now and takes no orders.")
    if wants_json():
        return make_response(*json_error(503, ErrorCode.STORE_SUSPENDED, message))
    return make_response(render_template("shop/closed.html", message=message), 503)


def opening_soon_response():
    """Every page of a store approved but not yet opened by its owner: 503, as a closed store,
    with its own words (shoppers may come back soon)."""
    from storefront.errors import json_error, wants_json  # errors imports the web layers
    from storefront.i18n import remember_language_choice

    remember_language_choice()  # this page answers before the app's before_request hooks
    refresh_babel()
    message = _("This store is opening soon. It takes no orders yet.")
    if wants_json():
        return make_response(json_error(503, ErrorCode.STORE_NOT_OPEN, message))
    return make_response(render_template("shop/opening_soon.html", message=message), 503)


# Longer `next` values are refused: nothing we link to is this long.
MAX_NEXT_LENGTH = 2000


def safe_next_url(default: str) -> str:
    """Return ?next= when it is a path on this site, else `default` (no open redirects).

    Browsers drop tabs and newlines inside URLs and read a backslash as a slash, so
    `/%09/evil.example` would become `//evil.example`: any such character refuses the value.
    """
    target = request.args.get("next", "")
    if len(target) > MAX_NEXT_LENGTH or not target.startswith("/"):
        return default
    if any(char.isspace() or not char.isprintable() or char == "\\" for char in target):
        return default
    parts = urlsplit(target)
    if target.startswith("//") or parts.scheme or parts.netloc:
        return default
    return target
