"""The keyring: values encrypted with the newest key, readable with any, rotatable."""

import pytest

from storefront.crypto import Keyring, KeyringError, new_key, parse_keys


def test_encrypts_with_the_newest_key_and_reads_with_any():
    old, new = new_key(), new_key()
    token = Keyring([old]).encrypt("310115198803188588")
    assert "310115198803188588" not in token
    assert Keyring([new, old]).decrypt(token) == "310115198803188588"
    rotated = Keyring([new, old]).rotate(token)
    assert Keyring([new]).decrypt(rotated) == "310115198803188588"
    with pytest.raises(KeyringError):
        Keyring([new]).decrypt(token)


def test_refuses_missing_or_malformed_keys():
    with pytest.raises(KeyringError):
        Keyring([])
    with pytest.raises(KeyringError):
        Keyring(["not-a-key"])
    assert parse_keys(" a , b,") == ["a", "b"]
    assert parse_keys(None) == []
