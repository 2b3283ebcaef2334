"""Sign-in for staff, operators and shoppers, throttled, with one generic error."""

from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from storefront.extensions import db
from storefront.models import LoginAttempt, PlatformOperator, Shopper, StaffUser
from storefront.models.types import utcnow
from storefront.tenancy import require_tenant_id, system_context


class LoginRefused(Exception):
    """Wrong credentials or too many attempts; the message never says which part was wrong."""

    def __init__(self, throttled: bool = False) -> None:
        super().__init__("throttled" if throttled else "invalid")
        self.throttled = throttled


def authenticate_staff(email: str, password: str, client_ip: str) -> StaffUser:
    """Return the active staff account for these credentials or raise LoginRefused."""
    with system_context():  # no tenant yet: the e-mail says which one
        user = db.session.scalar(select(StaffUser).where(StaffUser.email == _norm(email)))
        usable = user is not None and user.active and user.tenant.active
        account = _check(user if usable else None, f"staff:{_norm(email)}", password, client_ip)
        db.session.refresh(account)  # reloaded after the commit while tenants may be crossed
    return account


def authenticate_operator(email: str, password: str, client_ip: str) -> PlatformOperator:
    """Return the active operator account for these credentials or raise LoginRefused."""
    operator = db.session.scalar(
        select(PlatformOperator).where(PlatformOperator.email == _norm(email))
    )
    usable = operator if operator is not None and operator.active else None
    return _check(usable, f"operator:{_norm(email)}", password, client_ip)


def authenticate_shopper(email: str, password: str, client_ip: str) -> Shopper:
    """Return the current store's shopper for these credentials or raise LoginRefused."""
    shopper = db.session.scalar(select(Shopper).where(Shopper.email == _norm(email)))
    account_key = f"shopper:{require_tenant_id()}:{_norm(email)}"
    return _check(shopper, account_key, password, client_ip)


def _norm(email: str) -> str:
    return email.strip().lower()


def _check(account, account_key: str, password: str, client_ip: str):
    keys = [account_key, f"ip:{client_ip}"]
    if _throttled(keys):
        raise LoginRefused(throttled=True)
    if account is None or not account.check_password(password):
        db.session.add_all(LoginAttempt(key=key[:300]) for key in keys)
        db.session.commit()
        raise LoginRefused()
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.key == account_key[:300]))
    db.session.commit()
    return account


def _throttled(keys: list[str]) -> bool:
    config = current_app.config
    since = utcnow() - timedelta(seconds=config["LOGIN_FAILURE_WINDOW_SECONDS"])
    counts = db.session.execute(
        select(func.count())
        .select_from(LoginAttempt)
        .where(LoginAttempt.key.in_([key[:300] for key in keys]), LoginAttempt.at >= since)
        .group_by(LoginAttempt.key)
    ).scalars()
    return any(count >= config["LOGIN_MAX_FAILURES"] for count in counts)
