"""Where merchant webhooks may go: https to public addresses only (no internal probing).

A merchant types the URL, so it is an attacker's tool unless checked: the address is
checked after DNS resolution when the endpoint is added, and again on every connection,
against the address actually connected to (a DNS answer can change in between). Redirects
are not followed. Every failure short of an HTTP answer reads the same (ErrorCode.UNREACHABLE), so
the delivery log cannot tell an open port from a closed one.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NewConnectionError

from storefront.domain.errors import ErrorCode, Refused


class Unreachable(Exception):
    """No HTTP answer (refused address, closed port, timeout, TLS): deliberately one error."""


def resolve(host: str, port: int) -> list[str]:
    """Return the addresses the host name resolves to (the one DNS look-up, stubbed in tests)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [info[4][0] for info in infos]


def open_socket(address: str, port: int, timeout) -> socket.socket:
    """Connect to an already checked address (the one connect, stubbed in tests)."""
    sock = socket.create_connection((address, port), timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def address_allowed(text: str, allow_loopback: bool) -> bool:
    """Return whether an address may receive webhooks: public unicast, or loopback if allowed."""
    address = ipaddress.ip_address(_literal(text))  # an IPv6 zone (%eth0) is not an address
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    if allow_loopback and address.is_loopback:
        return True
    return address.is_global and not address.is_multicast


def _literal(host: str) -> str:
    return host.split("%", 1)[0]


def _is_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(_literal(host))
    except ValueError:
        return False
    return True


def checked_addresses(host: str, port: int, allow_loopback: bool) -> list[str]:
    """Resolve the host; raise Refused unless every address it has is allowed."""
    try:
        addresses = [_literal(host)] if _is_literal(host) else resolve(host, port)
    except (OSError, UnicodeError) as error:
        raise Refused(ErrorCode.UNRESOLVABLE) from error
    if not addresses or not all(address_allowed(a, allow_loopback) for a in addresses):
        raise Refused(ErrorCode.NOT_PUBLIC)
    return addresses


def check_endpoint_url(url: str, allow_loopback: bool) -> None:
    """Raise Refused unless the URL is https to public addresses (or allowed loopback)."""
    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise Refused(ErrorCode.BAD_URL) from error
    if parts.scheme not in ("https", "http") or not parts.hostname or "@" in parts.netloc:
        raise Refused(ErrorCode.BAD_URL)
    addresses = checked_addresses(parts.hostname, port, allow_loopback)
    loopback = all(ipaddress.ip_address(_literal(a)).is_loopback for a in addresses)
    if parts.scheme != "https" and not (allow_loopback and loopback):
        raise Refused(ErrorCode.HTTPS_REQUIRED)


def post(url: str, body: bytes, headers: dict, timeout: float, allow_loopback: bool) -> int:
    """POST once, without redirects, through checked connections; return the HTTP status."""
    with requests.Session() as session:
        session.trust_env = False  # a proxy from the environment would bypass the check
        adapter = _GuardedAdapter(allow_loopback)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        try:
            response = session.post(
                url, data=body, headers=headers, timeout=timeout, allow_redirects=False, stream=True
            )
        except requests.RequestException as error:
            raise Unreachable() from error
        response.close()
        return response.status_code


def _guarded(connection_class, allow_loopback: bool):
    class GuardedConnection(connection_class):
        def _new_conn(self) -> socket.socket:
            try:
                addresses = checked_addresses(self._dns_host, self.port, allow_loopback)
                return open_socket(addresses[0], self.port, self.timeout)
            except (Refused, OSError) as error:
                raise NewConnectionError(self, ErrorCode.UNREACHABLE) from error

    return GuardedConnection


class _GuardedAdapter(HTTPAdapter):
    """Connections that check the address they are about to connect to."""

    def __init__(self, allow_loopback: bool) -> None:
        self._allow_loopback = allow_loopback  # before the base class builds its pools
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        http = _guarded(HTTPConnection, self._allow_loopback)
        https = _guarded(HTTPSConnection, self._allow_loopback)
        self.poolmanager.pool_classes_by_scheme = {
            "http": type("GuardedHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": http}),
            "https": type("GuardedHTTPSPool", (HTTPSConnectionPool,), {"ConnectionCls": https}),
        }
