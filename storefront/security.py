"""Security headers and the user loader."""

from urllib.parse import urlsplit

from flask import Flask, current_app, g, request
from flask.sessions import SecureCookieSessionInterface
from flask_babel import lazy_gettext as _l
from werkzeug.middleware.proxy_fix import ProxyFix

from storefront.extensions import db, login_manager
from storefront.models import Applicant, PlatformOperator, Shopper, StaffUser
from storefront.queries.shoppers import signed_in_shopper
from storefront.tenancy import system_context

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)


def payment_page_policy(stripe_js_url: str) -> str:
    """The policy of the card page: Stripe.js's origin may run, frame and be called too."""
    parts = urlsplit(stripe_js_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    # Stripe.js talks to its API origin; the local stand-in serves both from one origin.
    api = " https://api.stripe.com" if origin == "https://js.stripe.com" else ""
    return (
        CONTENT_SECURITY_POLICY.replace("script-src 'self'", f"script-src 'self' {origin}")
        + f"; frame-src {origin}; connect-src 'self' {origin}{api}"
    )


def with_frame_ancestors(policy: str, origins: tuple[str, ...]) -> str:
    """Let `origins` (a store's allowed embedding origins) frame a page besides our own."""
    if not origins:
        return policy
    return policy.replace("frame-ancestors 'self'", "frame-ancestors 'self' " + " ".join(origins))


class StoreSessionInterface(SecureCookieSessionInterface):
    """The signed-cookie session; inside a host page's frame (embed mode) over https its
    cookie is SameSite=None and Partitioned (CHIPS), the only kind a browser keeps and sends in
    a third-party frame. Partitioned, it exists only under that host page's site, so other
    sites still cannot ride on it. Plain http (development, tests) keeps Lax: there the demo
    serves host and store on one site (same host, another port), where Lax cookies flow."""

    def get_cookie_samesite(self, app: Flask) -> str | None:
        return "None" if _framed_over_https(app) else super().get_cookie_samesite(app)

    def get_cookie_partitioned(self, app: Flask) -> bool:
        return _framed_over_https(app) or super().get_cookie_partitioned(app)


def _framed_over_https(app: Flask) -> bool:
    return bool(app.config["SESSION_COOKIE_SECURE"] and g.get("embed_host"))


def init_app(app: Flask) -> None:
    app.session_interface = StoreSessionInterface()
    login_manager.login_view = "shop.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    login_manager.user_loader(load_user)
    app.after_request(add_security_headers)
    proxies = app.config["TRUSTED_PROXY_COUNT"]
    if proxies:  # only then is X-Forwarded-For the client's address rather than a claim
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)


def add_security_headers(response):
    headers = response.headers
    # a store's pages may be framed by the store's allowed origins (storefront.shop.embedding)
    origins = g.get("frame_ancestors", ())
    policy = headers.get("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers["Content-Security-Policy"] = with_frame_ancestors(policy, origins)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if not origins:  # SAMEORIGIN would contradict frame-ancestors naming other origins
        headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if current_app.config["SESSION_COOKIE_SECURE"]:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


# The account kind each area of the site accepts (by blueprint); other areas sign no one in.
AREA_KINDS = {
    "shop": Shopper,
    "console": StaffUser,
    "platform": PlatformOperator,
    "join": Applicant,  # a merchant applying for a store (admin.join)
}


def load_user(user_id: str):
    """Load the account of a "kind:scope:id:version" session id, if this area accepts it.

    A staff or operator session is nobody in the storefront, a shopper of store A is nobody
    at store B, and a session from before a sign-out or password change is nobody anywhere.
    """
    model = AREA_KINDS.get(request.blueprint or "")
    kind, scope, raw_id, version = [*user_id.split(":"), "", "", ""][:4]
    if model is None or kind != model.SESSION_KIND or not raw_id.isdigit():
        return None
    account = _load_account(model, int(raw_id))
    if account is None or account.session_scope != scope:
        return None
    return account if str(account.session_version) == version else None


def _load_account(model, account_id: int):
    if model is Shopper:
        tenant = g.get("tenant")
        return signed_in_shopper(account_id) if tenant is not None else None
    if model is StaffUser:
        with system_context():  # the console sets the tenant from this very account
            user = db.session.get(StaffUser, account_id)
            return user if user and user.active and user.tenant.active else None
    account = db.session.get(model, account_id)  # an operator or an applicant
    return account if account and account.active else None
