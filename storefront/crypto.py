"""Encryption at rest for personal data and plugin secrets (PIPL: ID numbers are sensitive).

Keys are Fernet keys from ENCRYPTION_KEYS, newest first: values are encrypted with the first
and decrypted with any of them, so a key is rotated by putting a new one in front and running
`flask keys rotate`, which re-encrypts every stored value with it.
"""

import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import Flask, current_app

from storefront.domain.identity import normalise_prc_id

EXTENSION = "keyring"


class KeyringError(RuntimeError):
    """The encryption keys are missing or cannot read a stored value."""


class Keyring:
    """The deployment's encryption keys: encrypt with the newest, decrypt with any."""

    def __init__(self, keys: list[str]) -> None:
        if not keys:
            raise KeyringError("ENCRYPTION_KEYS is empty")
        try:
            self._fernet = MultiFernet([Fernet(key) for key in keys])
        except ValueError as error:
            raise KeyringError("ENCRYPTION_KEYS holds a value that is not a Fernet key") from error

    def encrypt(self, plain: str) -> str:
        return self._fernet.encrypt(plain.encode()).decode()

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken as error:
            raise KeyringError("a stored value cannot be decrypted with ENCRYPTION_KEYS") from error

    def rotate(self, token: str) -> str:
        """Return `token` re-encrypted with the newest key."""
        try:
            return self._fernet.rotate(token.encode()).decode()
        except InvalidToken as error:
            raise KeyringError("a stored value cannot be decrypted with ENCRYPTION_KEYS") from error


def parse_keys(value: str | list | tuple | None) -> list[str]:
    """Read ENCRYPTION_KEYS: a list, or one string of keys separated by commas."""
    if not value:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    return [item.strip() for item in items if item.strip()]


def new_key() -> str:
    """Return a fresh Fernet key (for settings files and rotation)."""
    return Fernet.generate_key().decode()


def init_app(app: Flask) -> None:
    """Build the keyring lazily on first use, so commands that need no keys run without."""
    app.extensions.pop(EXTENSION, None)


def keyring() -> Keyring:
    """Return the application's keyring."""
    extensions = current_app.extensions
    if EXTENSION not in extensions:
        keys = parse_keys(current_app.config.get("ENCRYPTION_KEYS"))
        if not keys:
            raise KeyringError(
                "ENCRYPTION_KEYS is not set: personal data and plugin secrets cannot be stored"
            )
        extensions[EXTENSION] = Keyring(keys)
    return extensions[EXTENSION]


def identity_hash(id_number: str) -> str:
    """Return the keyed hash that stands for one person's ID number (ledger and look-ups).

    Keyed (IDENTITY_HASH_KEY) because 18-character ID numbers are few enough to brute-force
    a plain hash; normalised first so one person always has one hash.
    """
    key = current_app.config["IDENTITY_HASH_KEY"].encode()
    return hmac.new(key, normalise_prc_id(id_number).encode(), hashlib.sha256).hexdigest()
