"""Password reset by e-mail link, for staff, platform operators, shoppers and applicants.

The link carries a token signed with the secret key that names the account and its
session version: setting the password bumps that version (PasswordMixin), so the link works
once, and any other password change or sign-out-everywhere voids it too; it also expires
(PASSWORD_RESET_MINUTES). Asking answers the same whether or not the address has an account
(nothing is raised, the mail is sent after commit by a job), and is limited per account and
per client address (PASSWORD_RESET_PER_HOUR).
"""

from contextlib import nullcontext

from flask import current_app, has_request_context, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from storefront.domain.errors import ErrorCode, Refused
from storefront.extensions import db
from storefront.models import Applicant, PlatformOperator, Shopper, StaffUser, Tenant
from storefront.queries import row_or_none
from storefront.services.accounts import count_attempt
from storefront.services.mail import mail_link, send_template
from storefront.tenancy import current_tenant_id, system_context, tenant_context

KINDS = {
    "staff": StaffUser,
    "operator": PlatformOperator,
    "shopper": Shopper,
    "applicant": Applicant,
}
RESET_PAGES = {
    "staff": "console.reset_password",
    "operator": "platform.reset_password",
    "shopper": "shop.reset_password",
    "applicant": "join.reset_password",
}
# Accounts of one store; the others (operators, applicants) belong to no store.
STORE_KINDS = frozenset({"staff", "shopper"})
SUBJECT = _l("Reset your password")
HOUR = 3600
# Many people may share one address (an office, a carrier's NAT): a looser limit there.
PER_ADDRESS_FACTOR = 10


def request_reset(kind: str, email: str, tenant_id: int | None) -> None:
    """Mail a reset link if `email` has an active account of `kind` (at store `tenant_id`
    for shoppers); the same silence either way."""
    if kind not in KINDS or (kind == "shopper") != (tenant_id is not None):
        raise ValueError(f"no password reset for {kind!r} here")
    email = email.strip().lower()
    limit = current_app.config["PASSWORD_RESET_PER_HOUR"]
    over = count_attempt(f"reset:{kind}:{tenant_id or ''}:{email}", HOUR) > limit
    if has_request_context():
        address = f"reset-ip:{request.remote_addr}"
        over |= count_attempt(address, HOUR) > limit * PER_ADDRESS_FACTOR
    account = None if over else _account_by_email(kind, email, tenant_id)
    if account is not None:
        _send_link(kind, account)
    db.session.commit()


def reset_password(token: str, new_password: str):
    """Set the password of the link's account and end all its sessions; return the account.

    Raises Refused(RESET_LINK_INVALID) for a forged, expired, used or voided link, and
    WeakPassword for a password on the common list.
    """
    minutes = current_app.config["PASSWORD_RESET_MINUTES"]
    try:
        kind, tenant_id, account_id, version = _serializer().loads(token, max_age=minutes * 60)
        model = KINDS[kind]
    except (BadSignature, TypeError, ValueError, KeyError):
        raise Refused(ErrorCode.RESET_LINK_INVALID) from None
    if kind == "shopper" and current_tenant_id() not in (None, tenant_id):
        raise Refused(ErrorCode.RESET_LINK_INVALID)  # a link of another store opened here
    with tenant_context(tenant_id) if tenant_id is not None else nullcontext():
        # locked: two uses of one link cannot both pass the version check
        # (re-read: a signed-in account was loaded before the lock)
        account = db.session.scalar(
            select(model)
            .where(model.id == account_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        usable = account is not None and getattr(account, "active", True)
        if not usable or account.session_version != version:
            db.session.rollback()
            raise Refused(ErrorCode.RESET_LINK_INVALID)
        account.set_password(new_password)
        db.session.commit()
    return account


def _account_by_email(kind: str, email: str, tenant_id: int | None):
    model = KINDS[kind]
    if kind == "shopper":
        with tenant_context(tenant_id):
            return db.session.scalar(select(Shopper).where(Shopper.email == email))
    # staff e-mail is unique platform-wide and names the store; operators and applicants
    # belong to no store
    with system_context():
        account = db.session.scalar(select(model).where(model.email == email))
    usable = account is not None and account.active
    if kind == "staff" and usable:
        usable = account.tenant.active
    return account if usable else None


def _send_link(kind: str, account) -> None:
    tenant_id = account.tenant_id if kind in STORE_KINDS else None
    token = _serializer().dumps([kind, tenant_id, account.id, account.session_version])
    values = {"token": token}
    place = _l("the platform console")
    # an applicant gives no name, only its sign-in address
    name = account.email if kind == "applicant" else account.name
    if kind == "applicant":
        place = _l("the merchant application")
    elif kind == "shopper":
        store = row_or_none(Tenant, tenant_id)
        values["store_slug"], place = store.slug, store.name
    elif kind == "staff":
        place = account.tenant.name
    send_template(
        account.email,
        _locale(),
        "password_reset",
        SUBJECT,
        name=name,
        place=place,
        minutes=current_app.config["PASSWORD_RESET_MINUTES"],
        link=mail_link(RESET_PAGES[kind], **values),
    )


def _locale() -> str:
    """The requester's language (they asked, in the page's language, for their own mail)."""
    locale = get_locale() if has_request_context() else None
    return "en" if locale is not None and locale.language == "en" else "zh_CN"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="kuajing-password-reset")
