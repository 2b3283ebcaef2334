"""Allowed embedding origins (SPEC §10): one normal form, https only but on this machine."""

import pytest

from storefront.domain.embedding import is_loopback, normalise_origin
from storefront.domain.errors import ErrorCode, Refused


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("https://shop.example.com", "https://shop.example.com"),
        ("  HTTPS://Shop.Example.COM/ ", "https://shop.example.com"),
        ("https://shop.example.com:443", "https://shop.example.com"),
        ("https://shop.example.com:8443", "https://shop.example.com:8443"),
        ("https://商店.example", "https://xn--czrs0t.example"),
        ("http://localhost:5001", "http://localhost:5001"),
        ("http://127.0.0.1:5001", "http://127.0.0.1:5001"),
        ("http://127.10.0.3", "http://127.10.0.3"),
        ("http://127.0.0.1:80", "http://127.0.0.1"),
    ],
)
def test_an_origin_is_stored_in_the_form_browsers_send(typed, stored):
    assert normalise_origin(typed) == stored


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", ErrorCode.BAD_ORIGIN),
        ("shop.example.com", ErrorCode.BAD_ORIGIN),
        ("https://*.example.com", ErrorCode.BAD_ORIGIN),
        ("*", ErrorCode.BAD_ORIGIN),
        ("https://shop.example.com/embed", ErrorCode.BAD_ORIGIN),
        ("https://shop.example.com?x=1", ErrorCode.BAD_ORIGIN),
        ("https://shop.example.com#top", ErrorCode.BAD_ORIGIN),
        ("https://user@shop.example.com", ErrorCode.BAD_ORIGIN),
        ("https://shop.example.com; script-src *", ErrorCode.BAD_ORIGIN),
        ("https://a.example https://b.example", ErrorCode.BAD_ORIGIN),
        ("https://'self'", ErrorCode.BAD_ORIGIN),
        ("https://shop.example.com:99999", ErrorCode.BAD_ORIGIN),
        ("https://shop.example.com:0", ErrorCode.BAD_ORIGIN),
        ("https://[::1", ErrorCode.BAD_ORIGIN),
        ("https://a]b.example", ErrorCode.BAD_ORIGIN),
        ("https://shop\uff03.example", ErrorCode.BAD_ORIGIN),
        ("https://shop\uff20x.example", ErrorCode.BAD_ORIGIN),
        ("https://-shop.example.com", ErrorCode.BAD_ORIGIN),
        ("https://[::1]", ErrorCode.BAD_ORIGIN),
        ("ftp://shop.example.com", ErrorCode.BAD_ORIGIN),
        ("javascript:alert(1)", ErrorCode.BAD_ORIGIN),
        ("https://" + "a" * 200 + ".example", ErrorCode.BAD_ORIGIN),
        ("http://shop.example.com", ErrorCode.HTTPS_REQUIRED),
        ("http://128.0.0.1", ErrorCode.HTTPS_REQUIRED),
        ("http://localhost.example.com", ErrorCode.HTTPS_REQUIRED),
    ],
)
def test_anything_but_one_origin_is_refused_with_its_reason(typed, code):
    with pytest.raises(Refused) as refused:
        normalise_origin(typed)
    assert refused.value.code == code


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("localhost", True), ("127.0.0.1", True), ("127.255.0.9", True), ("10.0.0.1", False)],
)
def test_only_this_machine_counts_as_loopback(host, loopback):
    assert is_loopback(host) is loopback
