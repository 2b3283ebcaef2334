"""Sign-in for staff, operators and shoppers, throttled, with one generic error."""

from datetime import timedelta
from functools import cache

from flask import current_app
from sqlalchemy import case, select, update
from sqlalchemy.dialects import postgresql, sqlite
from werkzeug.security import check_password_hash, generate_password_hash

from storefront.domain.errors import ErrorCode, Refused
from storefront.extensions import db
from storefront.models import Applicant, LoginCounter, PlatformOperator, Shopper, StaffUser
from storefront.models.types import utcnow
from storefront.tenancy import require_tenant_id, system_context


class LoginRefused(Refused):
    """Wrong credentials or too many attempts; the message never says which part was wrong."""

    def __init__(self, throttled: bool = False) -> None:
        super().__init__(ErrorCode.THROTTLED if throttled else ErrorCode.WRONG_CREDENTIALS)
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


def authenticate_applicant(email: str, password: str, client_ip: str) -> Applicant:
    """Return the active applicant account for these credentials or raise LoginRefused."""
    applicant = db.session.scalar(select(Applicant).where(Applicant.email == _norm(email)))
    usable = applicant if applicant is not None and applicant.active else None
    return _check(usable, f"applicant:{_norm(email)}", password, client_ip)


def authenticate_shopper(email: str, password: str, client_ip: str) -> Shopper:
    """Return the current store's shopper for these credentials or raise LoginRefused."""
    shopper = db.session.scalar(select(Shopper).where(Shopper.email == _norm(email)))
    account_key = f"shopper:{require_tenant_id()}:{_norm(email)}"
    return _check(shopper, account_key, password, client_ip)


def change_password(account, current: str, new: str) -> None:
    """Set a new password once the current one is confirmed; every session of it ends."""
    if not account.check_password(current):
        raise LoginRefused()
    account.set_password(new)
    db.session.commit()


def sign_out(account) -> None:
    """End every session of the account (this browser's and any copied cookie)."""
    account.end_sessions()
    db.session.commit()


def _norm(email: str) -> str:
    return email.strip().lower()


def _check(account, account_key: str, password: str, client_ip: str):
    """Count the attempt first, then verify: the count is what limits parallel guesses.

    The attempt is committed before the password is checked (a second commit in this use
    case) so that every concurrent request sees it; a success takes it back.
    """
    config = current_app.config
    account_key, address_key = account_key[:300], f"ip:{client_ip}"[:300]
    over_limit = _count_failure(account_key) > config["LOGIN_MAX_FAILURES"]
    over_limit |= _count_failure(address_key) > config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    db.session.commit()
    if over_limit:
        raise LoginRefused(throttled=True)
    if not _password_matches(account, password):
        raise LoginRefused()
    _forget_failure(account_key, reset=True)
    _forget_failure(address_key, reset=False)
    db.session.commit()
    return account


def _password_matches(account, password: str) -> bool:
    """Verify against a dummy hash when there is no account, so both take the same time."""
    if account is None:
        check_password_hash(_dummy_hash(), password)
        return False
    return account.check_password(password)


@cache
def _dummy_hash() -> str:
    return generate_password_hash("no account has this password")


def _count_failure(key: str) -> int:
    return count_attempt(key, current_app.config["LOGIN_FAILURE_WINDOW_SECONDS"])


def count_attempt(key: str, window_seconds: int) -> int:
    """Add one attempt to the key's window (a new window once the old one ended); return it.

    One atomic upsert per key: parallel attempts cannot all pass a check made before any
    of them was counted. The caller commits.
    """
    now = utcnow()
    expired = LoginCounter.window_start < now - timedelta(seconds=window_seconds)
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(LoginCounter).values(key=key, failures=1, window_start=now)
    statement = statement.on_conflict_do_update(
        index_elements=[LoginCounter.key],
        set_={
            "failures": case((expired, 1), else_=LoginCounter.failures + 1),
            "window_start": case((expired, now), else_=LoginCounter.window_start),
        },
    ).returning(LoginCounter.failures)
    return db.session.execute(statement).scalar_one()


def _forget_failure(key: str, reset: bool) -> None:
    failures = 0 if reset else case((LoginCounter.failures > 0, LoginCounter.failures - 1), else_=0)
    db.session.execute(
        update(LoginCounter).where(LoginCounter.key == key).values(failures=failures)
    )
