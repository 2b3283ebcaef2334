"""Who is calling: a shopper's bearer token, a merchant's API key, or nobody.

Only the Authorization header counts: cookies (a shopper's, staff's or an operator's session)
are never read by the API, so a browser's session cannot be ridden by a cross-site request
and no console account acts here. Credentials are looked up under the store of the path:
a token or key of store A is unknown at store B (401).
"""

from dataclasses import dataclass

from flask import g, request
from flask_babel import gettext as _

from storefront.api.errors import ApiCode, ApiError
from storefront.models import Shopper
from storefront.models.types import utcnow
from storefront.services.api_access import (
    KEY_PREFIX,
    TOKEN_PREFIX,
    KeyScope,
    key_for_secret,
    shopper_for_token,
)

SHOPPER_TOKEN = "shopperToken"  # noqa: S105 - the OpenAPI security scheme names
API_KEY = "apiKey"
MAX_SECRET_LENGTH = 200


@dataclass(frozen=True)
class Access:
    """Which callers an operation accepts."""

    anonymous: bool = False
    shopper: bool = False
    key_scope: KeyScope | None = None  # the least scope a key needs; None: keys refused

    def security(self) -> list[dict]:
        """The operation's OpenAPI security requirements (any one of them suffices)."""
        options = [{}] if self.anonymous else []
        if self.shopper:
            options.append({SHOPPER_TOKEN: []})
        if self.key_scope is not None:
            options.append({API_KEY: [str(self.key_scope)]})
        return options


# Catalog reads: anyone, a read key included.
PUBLIC_READ = Access(anonymous=True, shopper=True, key_scope=KeyScope.READ)
# Carts: anyone holding the cart's id, a shopper, or a server with a write key.
CART_WRITE = Access(anonymous=True, shopper=True, key_scope=KeyScope.WRITE)
# The shopper's own data (orders, addresses ...): a shopper token only.
SHOPPER_ONLY = Access(shopper=True)
# Sign-in, sign-up, password reset: anyone (throttled like the sign-in page).
ANYONE = Access(anonymous=True, shopper=True)


@dataclass(frozen=True)
class Credential:
    """The caller; `identity` names it for rate limits and idempotency keys."""

    kind: str  # "anonymous", "shopper" or "key"
    identity: str
    shopper: Shopper | None = None
    token_id: int | None = None
    key_scope: str | None = None


def authenticate(access: Access) -> Credential:
    """Resolve the caller from the Authorization header and check `access` admits it."""
    secret = _bearer_secret()
    if secret is None:
        if not access.anonymous:
            raise _unauthorized(_("Sign in first: send a shopper token."))
        credential = Credential("anonymous", f"ip:{request.remote_addr}")
    elif secret.startswith(KEY_PREFIX):
        credential = _key_credential(secret, access)
    else:
        credential = _token_credential(secret, access)
    g.api_credential = credential
    return credential


def current_credential() -> Credential:
    """Return the caller of this request (set by the operation's authentication)."""
    return g.api_credential


def current_shopper() -> Shopper | None:
    """Return the shopper whose token signed this request, or None."""
    return g.api_credential.shopper


def _bearer_secret() -> str | None:
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _space, secret = header.strip().partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret or len(secret) > MAX_SECRET_LENGTH:
        raise _unauthorized(_("Send the credential as: Authorization: Bearer <token or key>."))
    return secret


def _token_credential(secret: str, access: Access) -> Credential:
    found = shopper_for_token(secret, utcnow()) if secret.startswith(TOKEN_PREFIX) else None
    if found is None:
        raise _unauthorized(_("This token is not valid for this store, or has expired."))
    if not access.shopper:
        raise _forbidden()
    token, shopper = found
    return Credential("shopper", f"token:{token.id}", shopper=shopper, token_id=token.id)


def _key_credential(secret: str, access: Access) -> Credential:
    key = key_for_secret(secret, utcnow())
    if key is None:
        raise _unauthorized(_("This API key is not valid for this store, or was revoked."))
    needed = access.key_scope
    if needed is None or (needed == KeyScope.WRITE and key.scope != KeyScope.WRITE):
        raise _forbidden()
    return Credential("key", f"key:{key.id}", key_scope=key.scope)


def _unauthorized(message: str) -> ApiError:
    headers = {"WWW-Authenticate": 'Bearer realm="kuajing"'}
    return ApiError(401, ApiCode.UNAUTHORIZED, message, headers=headers)


def _forbidden() -> ApiError:
    return ApiError(
        403, ApiCode.FORBIDDEN, _("This credential may not call this operation (see its scope).")
    )
