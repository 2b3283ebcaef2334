"""Error pages and JSON errors: every failure is a clear 4xx page or message, never a bare 500."""

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import NotFound as HTTPNotFound

from storefront.services.errors import NotFound


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(NotFound, lambda error: _http_error(HTTPNotFound()))


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
    if wants_json():
        return json_error(
            status, (error.name or "error").lower().replace(" ", "_"), error.description or ""
        )
    return render_template("errors/error.html", status=status, message=_message(status)), status


def _csrf_error(error: CSRFError):
    message = _("The form has expired or was tampered with. Please reload the page and try again.")
    if wants_json():
        return json_error(400, "csrf_failed", message)
    return render_template("errors/error.html", status=400, message=message), 400


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
