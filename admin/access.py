"""Who may enter each console; the merchant console runs as the signed-in staff's tenant."""

from flask import Blueprint, redirect, request, url_for
from flask_login import current_user

from storefront.models import PlatformOperator, StaffUser
from storefront.web import MAX_NEXT_LENGTH, set_request_tenant

PUBLIC_ENDPOINTS = {"console.login", "platform.login"}


def guard_console(blueprint: Blueprint) -> None:
    """Require a staff account and scope the request to its tenant."""

    @blueprint.before_request
    def _require_staff():
        if request.endpoint in PUBLIC_ENDPOINTS:
            return None
        if not isinstance(current_user._get_current_object(), StaffUser):
            return redirect(url_for("console.login", **_back_here()))
        set_request_tenant(current_user.tenant)
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
