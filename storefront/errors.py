"""Error pages and JSON errors: every failure is a clear 4xx page or message, never a bare 500."""

from contextlib import suppress

from flask import Flask, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, SecurityError
from werkzeug.exceptions import NotFound as HTTPNotFound

from storefront.domain.errors import ErrorCode, Refused
from storefront.extensions import db
from storefront.services.errors import NotFound
from storefront.services.integrations import SettingsRefused

# Seconds a client is asked to wait when the database cannot be reached.
RETRY_AFTER_SECONDS = 30


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(NotFound, lambda error: _http_error(HTTPNotFound()))
    app.register_error_handler(Refused, _refused)
    for unavailable in (OperationalError, InterfaceError, PoolTimeout):
        app.register_error_handler(unavailable, _database_unavailable)


def wants_json() -> bool:
    return request.path.startswith(("/api/", "/webhooks/")) or (
        request.accept_mimetypes.best == "application/json"
    )


def json_error(status: int, code: str, message: str, fields: dict | None = None):
    """Build the JSON error body {"error": {"code", "message", "fields"}}."""
    body = {"error": {"code": code, "message": message, "fields": fields or {}}}
    return jsonify(body), status


def _http_error(error: HTTPException):
    status = error.code or 500
    if isinstance(error, SecurityError):
        # a Host header outside TRUSTED_HOSTS (config.py): no page, whose links would name it
        return _("This address is not served here."), 400, {"Content-Type": "text/plain"}
    if wants_json():
        # The API answers in the caller's language (Accept-Language, storefront/api/errors.py)
        api = request.path.startswith("/api/")
        message = _message(status) if api else error.description or ""
        code = (error.name or "error").lower().replace(" ", "_")
        body, status = json_error(status, code, message)
        headers = [pair for pair in error.get_headers() if pair[0] != "Content-Type"]
        return body, status, headers
    return render_template("errors/error.html", status=status, message=_message(status)), status


def _csrf_error(error: CSRFError):
    message = _("The form has expired or was tampered with. Please reload the page and try again.")
    if wants_json():
        return json_error(400, ErrorCode.CSRF_FAILED, message)
    return render_template("errors/error.html", status=400, message=message), 400


def _refused(refused: Refused):
    """A refusal no view mapped is a 409 in the reader's words, never a 500."""
    # Imported here: the shop's forms import this module while the shop package loads.
    from storefront.shop.messages import refusal_message

    message = refusal_message(refused)
    if wants_json():
        fields = refused.errors if isinstance(refused, SettingsRefused) else None
        return json_error(409, refused.code, message, fields)
    return render_template("errors/error.html", status=409, message=message), 409


def _database_unavailable(error):
    """The database is down or overloaded: a temporary 503, rendered without touching it."""
    # The connection may be gone: the pool replaces it once the database is back.
    with suppress(OperationalError, InterfaceError):
        db.session.rollback()
    g._login_user = AnonymousUserMixin()  # the page must not look the account up again
    message = _("The service is briefly unavailable. Please try again in a moment.")
    if wants_json():
        body, status = json_error(503, ErrorCode.SERVICE_UNAVAILABLE, message)
    else:
        body, status = render_template("errors/error.html", status=503, message=message), 503
    return body, status, {"Retry-After": str(RETRY_AFTER_SECONDS)}


def _message(status: int) -> str:
    messages = {
        400: _("The request could not be understood."),
        403: _("You do not have access to this page."),
        404: _("The page you asked for does not exist."),
        405: _("This action is not allowed here."),
        409: _("This action does not fit the current state."),
        429: _("Too many requests. Please wait a moment."),
    }
    return messages.get(status, _("Something went wrong. Please try again."))
