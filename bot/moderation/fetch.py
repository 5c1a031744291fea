"""A guarded HTTP(S) GET for URL imports: no request ever reaches a local or private address.

`fetch(url, policy, deadline)` downloads one document. Every hop (the URL itself and each redirect,
followed by hand) is checked before anything is sent:
- the scheme is https (http only when `FetchPolicy.allow_http`, the operator's
  ``CMF_BOT_IMPORT_ALLOW_HTTP=1``), no user name or password in the URL;
- when `FetchPolicy.hosts` is set (``CMF_BOT_IMPORT_HOSTS=imoox.at,example.org``), the host is one of
  them or a subdomain of one;
- the host name is resolved once and EVERY address it resolves to must be public (not loopback,
  private, link-local, multicast, reserved, unspecified, shared, nor such an address embedded in
  IPv6: v4-mapped, 6to4, Teredo, NAT64). The connection then goes to the checked address (the name
  is not resolved again, so DNS rebinding cannot swap it), with the host name for TLS and ``Host:``.
Numeric spellings (``0x7f000001``, ``2130706433``, ``127.1``) resolve to the address they mean and
are refused like it.

Failures raise `FetchError`. Its `blocked` flag tells an address refused by the policy (decided before
any connection) from every other failure; those are deliberately NOT told apart (refused, timed out,
HTTP 404 or 500, reset, too slow) and never carry the response body, so the importer cannot be used
as a port scanner or to read internal pages.
"""

from __future__ import annotations

import http.client
import ipaddress
import os
import re
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

MAX_REDIRECTS = 5
CHUNK = 64 * 1024
USER_AGENT = "cmf-bot (MOOChub import)"
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_SHARED = ipaddress.ip_network("100.64.0.0/10")


class FetchError(Exception):
    """The document could not be fetched. `blocked`: the policy refused the address (nothing was sent)."""

    def __init__(self, url: str, *, blocked: bool = False, too_big: bool = False) -> None:
        self.url = url
        self.blocked = blocked
        self.too_big = too_big
        what = "address not allowed" if blocked else "too big" if too_big else "could not be fetched"
        super().__init__(f"{url}: {what}")


def is_public_address(ip: IPAddress) -> bool:
    """True only for a globally routable unicast address (IPv4 embedded in IPv6 is checked as IPv4)."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return is_public_address(embedded)
    if isinstance(ip, ipaddress.IPv4Address) and ip in _SHARED:
        return False
    return bool(
        ip.is_global
        and not (
            ip.is_loopback
            or ip.is_private
            or ip.is_link_local
            or ip.is_multicast
            or ip.is_reserved
            or ip.is_unspecified
        )
    )


@dataclass(frozen=True)
class FetchPolicy:
    """What a URL import may fetch. The defaults are the safe ones; see `policy_from_env`."""

    allow_http: bool = False
    hosts: frozenset[str] | None = None
    """Partner hosts allowed (with their subdomains); None = any public host."""
    address_allowed: Callable[[IPAddress], bool] = field(default=is_public_address)
    """The address check. Only tests replace it (to reach a server on 127.0.0.1)."""
    page_timeout: float = 20.0
    """Most seconds one socket operation may wait (the overall deadline is the caller's)."""


def policy_from_env(environ: dict[str, str] | None = None) -> FetchPolicy:
    """The operator's settings: ``CMF_BOT_IMPORT_ALLOW_HTTP=1`` and ``CMF_BOT_IMPORT_HOSTS=a.org,b.eu``."""
    env = os.environ if environ is None else environ
    allow_http = env.get("CMF_BOT_IMPORT_ALLOW_HTTP", "").strip().lower() in ("1", "true", "yes")
    hosts = {h.strip().lower().rstrip(".") for h in env.get("CMF_BOT_IMPORT_HOSTS", "").split(",")}
    hosts.discard("")
    return FetchPolicy(allow_http=allow_http, hosts=frozenset(hosts) if hosts else None)


def check_url(url: str, policy: FetchPolicy) -> tuple[str, int, str]:
    """(host, port, the checked address to connect to) for `url`, or FetchError(blocked=True)."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().rstrip(".")
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise FetchError(url, blocked=True) from None
    schemes = ("https", "http") if policy.allow_http else ("https",)
    if parts.scheme not in schemes or not host or parts.username or parts.password:
        raise FetchError(url, blocked=True)
    if policy.hosts is not None and not any(host == h or host.endswith("." + h) for h in policy.hosts):
        raise FetchError(url, blocked=True)
    try:
        literal: IPAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None and not policy.address_allowed(literal):
        raise FetchError(url, blocked=True)
    if re.fullmatch(r"[0-9a-fx.]+", host) and not re.search(r"[g-wyz]", host):
        try:  # inet_aton's spellings: 0x7f000001, 2130706433, 0177.0.0.1, 127.1
            numeric = ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            numeric = None
        if numeric is None or not policy.address_allowed(numeric):
            raise FetchError(url, blocked=True)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise FetchError(url) from None
    addresses: list[IPAddress] = []
    for info in infos:
        try:
            addresses.append(ipaddress.ip_address(str(info[4][0]).split("%")[0]))
        except ValueError:
            raise FetchError(url, blocked=True) from None
    if not addresses or not all(policy.address_allowed(ip) for ip in addresses):
        raise FetchError(url, blocked=True)
    return host, port, str(addresses[0])


class _PinnedHTTP(http.client.HTTPConnection):
    """An HTTP connection to an already checked address."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """A TLS connection to an already checked address, verifying the certificate for the host name."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


@dataclass
class Fetched:
    """One fetched document: `status` 200, or 304 (not modified: empty body) for a conditional GET."""

    url: str
    status: int
    body: bytes
    etag: str | None = None
    last_modified: str | None = None


def fetch(
    url: str,
    policy: FetchPolicy,
    *,
    deadline: float,
    max_bytes: int,
    accept: str = "application/json",
) -> tuple[str, bytes]:
    """(final URL after redirects, body) of a GET of `url`; `deadline` is a `time.monotonic()` value
    by which everything must be done. Raises FetchError (see the module docstring)."""
    got = fetch_document(url, policy, deadline=deadline, max_bytes=max_bytes, accept=accept)
    return got.url, got.body


def fetch_document(
    url: str,
    policy: FetchPolicy,
    *,
    deadline: float,
    max_bytes: int,
    accept: str = "application/json",
    etag: str | None = None,
    last_modified: str | None = None,
) -> Fetched:
    """`fetch` with a conditional GET: with `etag` / `last_modified` (validators of an earlier
    response) a 304 answer comes back as ``Fetched(status=304, body=b"")``. Same checks and errors.
    Each hop: `_open` (checked address, one request), then `_redirect` or `_read_body`."""
    headers = {"Accept": accept, "User-Agent": USER_AGENT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        conn, response = _open(current, policy, deadline, headers)
        try:
            validators = response.getheader("ETag"), response.getheader("Last-Modified")
            if response.status == 304 and (etag or last_modified):
                return Fetched(current, 304, b"", *validators)
            if response.status in _REDIRECTS:
                current = _redirect(current, response)
                continue
            if response.status != 200:
                raise FetchError(current)
            body = _read_body(current, conn, response, policy, deadline, max_bytes)
            return Fetched(current, 200, body, *validators)
        except FetchError:
            raise
        except (OSError, http.client.HTTPException, ValueError):
            raise FetchError(current) from None
        finally:
            conn.close()
    raise FetchError(current)


_REDIRECTS = (301, 302, 303, 307, 308)


def _open(
    url: str, policy: FetchPolicy, deadline: float, headers: dict[str, str]
) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
    """Check `url` (`check_url`), connect to the checked address and send the GET; the connection
    (the caller closes it) and the response's status and headers. FetchError on any failure."""
    host, port, address = check_url(url, policy)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchError(url)
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    cls = _PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP
    conn = cls(host, port, address, min(policy.page_timeout, remaining))
    try:
        conn.request("GET", path, headers=headers)
        return conn, conn.getresponse()
    except (OSError, http.client.HTTPException, ValueError):
        conn.close()
        raise FetchError(url) from None


def _redirect(url: str, response: http.client.HTTPResponse) -> str:
    """The next hop of a redirect (checked again by `_open`); FetchError without a Location."""
    location = response.getheader("Location")
    if not location:
        raise FetchError(url)
    return urljoin(url, location)


def _read_body(
    url: str,
    conn: http.client.HTTPConnection,
    response: http.client.HTTPResponse,
    policy: FetchPolicy,
    deadline: float,
    max_bytes: int,
) -> bytes:
    """The body, read in chunks within `deadline` and `max_bytes` (a declared Content-Length over the
    cap is refused before reading); FetchError(too_big=True) over the cap, FetchError when too slow."""
    length = response.getheader("Content-Length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise FetchError(url, too_big=True)
    body = bytearray()
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(url)
        if conn.sock is not None:
            conn.sock.settimeout(min(policy.page_timeout, remaining))
        chunk = response.read1(CHUNK)
        if not chunk:
            return bytes(body)
        body += chunk
        if len(body) > max_bytes:
            raise FetchError(url, too_big=True)
