"""Who may enter each console; the merchant console runs as the signed-in staff's tenant."""

from flask import Blueprint, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from storefront.domain.permissions import Permission, may
from storefront.models import PlatformOperator, StaffUser
from storefront.web import MAX_NEXT_LENGTH, set_request_tenant

PUBLIC_ENDPOINTS = {
    "console.login",
    "platform.login",
    "console.accept_invite",
    "console.forgot_password",
    "console.reset_password",
    "platform.forgot_password",
    "platform.reset_password",
}
# The console endpoints (or endpoint prefixes) a permission guards (storefront.domain
# .permissions); every other console page is open to every active staff member.
GUARDED_ENDPOINTS = {
    "console.invite_staff": Permission.MANAGE_STAFF,
    "console.staff_invite_": Permission.MANAGE_STAFF,
    "console.staff_member_": Permission.MANAGE_STAFF,
    "console.integration": Permission.MANAGE_INTEGRATIONS,
    "console.opening_": Permission.MANAGE_INTEGRATIONS,  # the checklist's choices, opening
    "console.embedding": Permission.MANAGE_INTEGRATIONS,  # which sites may frame the store
    "console.api_key": Permission.MANAGE_INTEGRATIONS,  # servers calling the API as the store
    # where the store's order events go, with each endpoint's signing secret
    "console.webhooks": Permission.MANAGE_INTEGRATIONS,
    "console.delete_webhook": Permission.MANAGE_INTEGRATIONS,
    "console.retry_event": Permission.MANAGE_INTEGRATIONS,  # sends to those endpoints again
    "console.invoice_settings": Permission.MANAGE_INVOICE_SETTINGS,
    "console.product_invoicing": Permission.MANAGE_INVOICE_SETTINGS,
    "console.refund_order": Permission.REFUND,
}
# What a suspended store's staff may still send: the console is read-only (nothing deleted).
SUSPENDED_WRITES = {"console.logout"}


def required_permission(endpoint: str) -> Permission | None:
    """Return the permission an endpoint needs, or None when every staff member may."""
    for guarded, permission in GUARDED_ENDPOINTS.items():
        if endpoint.startswith(guarded):
            return permission
    return None


def staff_may(permission: Permission | str) -> bool:
    """Whether the signed-in staff member may do this (templates hide what they may not)."""
    return may(current_user.role, Permission(permission))


def guard_console(blueprint: Blueprint) -> None:
    """Require a staff account and scope the request to its tenant."""

    @blueprint.before_request
    def _require_staff():
        if request.endpoint in PUBLIC_ENDPOINTS:
            return None
        if not isinstance(current_user._get_current_object(), StaffUser):
            return redirect(url_for("console.login", **_back_here()))
        set_request_tenant(current_user.tenant)
        return _refuse_what_is_not_allowed(request.endpoint or "")

    @blueprint.context_processor
    def _permissions() -> dict:
        return {"staff_may": staff_may, "Permission": Permission}


def _refuse_what_is_not_allowed(endpoint: str):
    """403 with a page saying why: a permission the role lacks, or a write while suspended."""
    permission = required_permission(endpoint)
    if permission is not None and not staff_may(permission):
        message = _("Your role does not allow this. Ask the store's owner.")
        return render_template("errors/error.html", status=403, message=message), 403
    suspended = g.tenant.suspended_at is not None
    if suspended and request.method not in ("GET", "HEAD") and endpoint not in SUSPENDED_WRITES:
        message = _("The platform has suspended this store: the console is read-only.")
        return render_template("errors/error.html", status=403, message=message), 403
    return None


def guard_platform(blueprint: Blueprint) -> None:
    """Require a platform operator account."""

    @blueprint.before_request
    def _require_operator():
        if request.endpoint in PUBLIC_ENDPOINTS:
            return None
        if not isinstance(current_user._get_current_object(), PlatformOperator):
            return redirect(url_for("platform.login", **_back_here()))
        return None


def _back_here() -> dict:
    """Ask the sign-in page to come back here, unless the address is too long to carry."""
    target = request.full_path
    return {"next": target} if len(target) <= MAX_NEXT_LENGTH else {}
