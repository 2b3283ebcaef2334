"""Security headers and the user loader."""

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l

from storefront.extensions import db, login_manager
from storefront.models import PlatformOperator, Shopper, StaffUser
from storefront.queries import row_or_none
from storefront.tenancy import current_tenant_id, system_context

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)


def init_app(app: Flask) -> None:
    login_manager.login_view = "shop.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    login_manager.user_loader(load_user)
    app.after_request(add_security_headers)


def add_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if current_app.config["SESSION_COOKIE_SECURE"]:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def load_user(user_id: str):
    """Load the signed-in account from its session id "kind:id"."""
    kind, _, raw_id = user_id.partition(":")
    if not raw_id.isdigit():
        return None
    if kind == "staff":
        with system_context():
            user = db.session.get(StaffUser, int(raw_id))
        return user if user and user.active and user.tenant.active else None
    if kind == "operator":
        operator = db.session.get(PlatformOperator, int(raw_id))
        return operator if operator and operator.active else None
    if kind == "shopper" and current_tenant_id() is not None:
        return row_or_none(Shopper, int(raw_id))
    return None
