"""Origins allowed to embed a store (SPEC §10), in the one form browsers and CSP use.

An origin is what a browser puts in a message's `event.origin`, in the `Origin` header and
what CSP's frame-ancestors matches: scheme://host[:port], lower case, no default port, no
path. It goes into a response header, so nothing else may get through: no wildcard, no
space, no quote, no semicolon.
"""

import ipaddress
import re
from urllib.parse import urlsplit

from storefront.domain.errors import ErrorCode, Refused

MAX_ORIGIN_LENGTH = 200
MAX_ORIGINS = 20  # per store: the list goes into every page's CSP header
DEFAULT_PORTS = {"http": 80, "https": 443}
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
_FORBIDDEN = re.compile(r"[\s*;,'\"\\<>@?#]")


def normalise_origin(text: str) -> str:
    """Return `text` as a normalised origin, or raise Refused saying why it is not one."""
    text = text.strip()
    if not text or len(text) > MAX_ORIGIN_LENGTH or _FORBIDDEN.search(text):
        raise Refused(ErrorCode.BAD_ORIGIN, "not a single origin")
    try:  # an unclosed "[" or a full-width "＃" in the host makes urlsplit raise
        parts = urlsplit(text)
    except ValueError as error:
        raise Refused(ErrorCode.BAD_ORIGIN, "not a single origin") from error
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or parts.path not in ("", "/"):
        raise Refused(ErrorCode.BAD_ORIGIN, "scheme and host only")
    host = _host(parts.hostname or "")
    try:
        port = parts.port
    except ValueError as error:
        raise Refused(ErrorCode.BAD_ORIGIN, "bad port") from error
    if port == 0:  # no browser sends it: an origin naming it would never match
        raise Refused(ErrorCode.BAD_ORIGIN, "bad port")
    if scheme == "http" and not is_loopback(host):
        raise Refused(ErrorCode.HTTPS_REQUIRED, "http only for development on this machine")
    shown_port = f":{port}" if port is not None and port != DEFAULT_PORTS[scheme] else ""
    return f"{scheme}://{host}{shown_port}"


def is_loopback(host: str) -> bool:
    """Tell whether `host` is this machine (localhost or 127.0.0.0/8), where http is allowed."""
    if host == "localhost":
        return True
    try:
        return ipaddress.IPv4Address(host).is_loopback
    except ValueError:
        return False


def _host(raw: str) -> str:
    """Return the host in ASCII (IDNA for Unicode names); IPv6 and malformed names refused."""
    try:
        host = raw.encode("idna").decode("ascii").lower()
    except UnicodeError as error:
        raise Refused(ErrorCode.BAD_ORIGIN, "bad host name") from error
    if not host or len(host) > 253 or not all(_LABEL.fullmatch(x) for x in host.split(".")):
        raise Refused(ErrorCode.BAD_ORIGIN, "bad host name")
    return host
