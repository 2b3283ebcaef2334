"""Credentials of the JSON API: shopper bearer tokens and merchant API keys.

Both are random secrets shown once and stored as their SHA-256: looking one up is a hash
and an indexed equality, and a copy of the table holds nothing that signs anyone in. Both
belong to one store: they are looked up under the tenant of the request's path, so a
secret of store A is simply unknown at store B.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from flask import current_app
from sqlalchemy import select, update

from storefront.extensions import db
from storefront.models import Shopper
from storefront.models.api import ApiKey, ApiToken
from storefront.models.types import utcnow
from storefront.queries import row_or_none
from storefront.services.accounts import authenticate_shopper
from storefront.services.errors import NotFound

TOKEN_PREFIX = "kjt_"  # noqa: S105 - a marker, not a secret
KEY_PREFIX = "kjk_"
# A key's last-used time is written at most this often (one write per call would be costly).
LAST_USED_RESOLUTION = timedelta(minutes=1)


class KeyScope(StrEnum):
    READ = "read"
    WRITE = "write"  # read and write


@dataclass(frozen=True)
class IssuedToken:
    secret: str
    expires_at: datetime


def secret_hash(secret: str) -> str:
    """Return the stored form of a token or key (SHA-256, hex)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def sign_in_for_token(email: str, password: str, client_ip: str) -> IssuedToken:
    """Check the shopper's credentials (throttled as the sign-in page) and issue a token."""
    shopper = authenticate_shopper(email, password, client_ip)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    lifetime = timedelta(seconds=current_app.config["API_TOKEN_LIFETIME_SECONDS"])
    token = ApiToken(
        shopper_id=shopper.id,
        token_hash=secret_hash(secret),
        session_version=shopper.session_version,
        expires_at=utcnow() + lifetime,
    )
    db.session.add(token)
    db.session.commit()
    return IssuedToken(secret, token.expires_at)


def shopper_for_token(secret: str, moment: datetime) -> tuple[ApiToken, Shopper] | None:
    """Return the live token and its shopper in the current store, or None."""
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == secret_hash(secret)))
    if token is None or token.revoked_at is not None or token.expires_at <= moment:
        return None
    shopper = row_or_none(Shopper, token.shopper_id)
    if shopper is None or shopper.session_version != token.session_version:
        return None  # signed out everywhere or changed password since the token was issued
    return token, shopper


def revoke_token(token_id: int) -> None:
    """End one token now."""
    db.session.execute(
        update(ApiToken)
        .where(ApiToken.id == token_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    db.session.commit()


def create_key(name: str, scope: KeyScope, staff_id: int | None) -> tuple[ApiKey, str]:
    """Create an API key of the current store; return it and its secret (shown once)."""
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(
        name=name.strip(),
        scope=KeyScope(scope),
        prefix=secret[:12],
        key_hash=secret_hash(secret),
        created_by_id=staff_id,
    )
    db.session.add(key)
    db.session.commit()
    return key, secret


def key_for_secret(secret: str, moment: datetime) -> ApiKey | None:
    """Return the current store's live key for `secret` (its last use noted), or None."""
    key = db.session.scalar(select(ApiKey).where(ApiKey.key_hash == secret_hash(secret)))
    if key is None or key.revoked_at is not None:
        return None
    if key.last_used_at is None or moment - key.last_used_at >= LAST_USED_RESOLUTION:
        key.last_used_at = moment
        db.session.commit()
    return key


def revoke_key(key_id: int) -> None:
    """Revoke a key of the current store at once; raise NotFound for another store's id."""
    key = row_or_none(ApiKey, key_id)
    if key is None:
        raise NotFound()
    if key.revoked_at is None:
        key.revoked_at = utcnow()
    db.session.commit()
