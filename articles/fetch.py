"""The single door through which the product makes outbound HTTP requests.

Researchers paste arbitrary links, so every fetch is treated as hostile: it must
not reach internal systems (SSRF), hang a worker, or exhaust memory. Modelled on
healthchecks' ``hc/lib/curl.py``. For every hop we parse the URL, resolve the
host once, check every address it resolves to, connect to exactly the checked
address, and follow redirects by hand so each new hop gets the same checks.
Bodies are read in small chunks against a byte limit and an overall deadline.
"""

from __future__ import annotations

import http.client
import ipaddress
import logging
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3 import exceptions as u3
from urllib3.response import BaseHTTPResponse

__all__ = ["FetchError", "FetchRefused", "FetchResult", "FetchTransient", "check_address", "fetch_url"]

logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

_MB = 1024 * 1024
_CHUNK_BYTES = 64 * 1024
_DEFAULT_PORTS = {"http": 80, "https": 443}
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
_MULTICAST = "a multicast address"
_RESERVED = "a reserved address"
_NOT_PUBLIC = "an address that is not on the public internet"


def _networks(*rows: tuple[str, str]) -> tuple[tuple[IPNetwork, str], ...]:
    return tuple((ipaddress.ip_network(net), kind) for kind, nets in rows for net in nets.split())


# Explicit, because ipaddress.is_global on Python 3.11 lets some of these through
# (e.g. multicast ff0e::/16, 3fff::/20). The first match names the kind, so the
# unspecified addresses come before the reserved 0.0.0.0/8 that contains one.
_BLOCKED = _networks(
    ("an unspecified address", "0.0.0.0/32 ::/128"),
    ("a loopback address that leads back to this server", "127.0.0.0/8 ::1/128"),
    ("a private network address", "10.0.0.0/8 172.16.0.0/12 192.168.0.0/16"),
    ("a carrier-grade NAT address that is not public", "100.64.0.0/10"),
    ("a link-local address like the cloud metadata service", "169.254.0.0/16 fe80::/10"),
    ("a benchmarking test address", "198.18.0.0/15 2001:2::/48"),
    ("an address reserved for documentation examples", "192.0.2.0/24 198.51.100.0/24 203.0.113.0/24"),
    ("an address reserved for documentation examples", "2001:db8::/32 3fff::/20"),
    ("a unique-local IPv6 address used on private networks", "fc00::/7"),
    ("a site-local IPv6 address used on private networks", "fec0::/10"),
    (_MULTICAST, "224.0.0.0/4 ff00::/8"),
    (_RESERVED, "0.0.0.0/8 192.0.0.0/24 192.88.99.0/24 240.0.0.0/4"),
    (_RESERVED, "100::/64 2001:10::/28 2001:20::/28 5f00::/16"),
)

# Wrappers we refuse even when the IPv4 address inside them is public: they are
# deprecated or local-only, so no real news site is reached through them.
_REFUSED_WRAPPERS = _networks(
    ("a deprecated IPv4-compatible IPv6 address", "::/96"),
    ("a local-use NAT64 address that is not public", "64:ff9b:1::/48"),
    ("a Teredo tunnel address that is not a normal public address", "2001::/32"),
)
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")
_NAT64_WELL_KNOWN = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")


@dataclass(frozen=True)
class FetchResult:
    """A fetched page. ``body`` is already decompressed; ``headers`` are raw."""

    requested_url: str
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes
    content_type: str
    charset: str | None
    fetched_at: datetime
    # Each URL a redirect led to, in order (empty if none; last == final_url).
    redirects: tuple[str, ...]


class FetchError(Exception):
    """Base of all fetch failures; ``message`` is fit to show a researcher."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class FetchRefused(FetchError):
    """Retrying will not help: the link, the address or the answer is unacceptable."""


class FetchTransient(FetchError):
    """Probably temporary (timeouts, dropped connections, 429, 5xx): retry later."""


@dataclass(frozen=True)
class _Options:
    timeout: float
    deadline: float  # time.monotonic() value by which the whole fetch must end
    max_bytes: int
    max_redirects: int
    allow_loopback: bool
    user_agent: str


@dataclass(frozen=True)
class _Target:
    url: str
    scheme: str
    host: str  # ASCII (IDNA) name or IP literal, without brackets
    port: int
    host_header: str
    path: str  # request target: path and query, never the fragment


@dataclass(frozen=True)
class _Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    location: str | None  # set when the answer is a redirect to follow


def check_address(ip: IPAddress, *, allow_loopback: bool = False) -> None:
    """Raise FetchRefused, naming the kind of address, unless ``ip`` is public."""
    problem = _address_problem(ip, allow_loopback=allow_loopback)
    if problem:
        logger.info("Refused address %s: %s", ip, problem)
        raise FetchRefused(f"The address {ip} was refused because it is {problem}.")


def _address_problem(ip: IPAddress, *, allow_loopback: bool) -> str | None:
    if allow_loopback and _is_plain_loopback(ip):
        return None
    for network, kind in _BLOCKED:
        if ip in network:
            return kind
    if isinstance(ip, ipaddress.IPv6Address):
        return _ipv6_problem(ip)
    return _generic_problem(ip)


def _is_plain_loopback(ip: IPAddress) -> bool:
    # Only the plain forms: a wrapped loopback (::ffff:127.0.0.1) is a disguise.
    if isinstance(ip, ipaddress.IPv4Address):
        return ip in ipaddress.IPv4Network("127.0.0.0/8")
    return ip == ipaddress.IPv6Address("::1")


def _ipv6_problem(ip: ipaddress.IPv6Address) -> str | None:
    for label, inner in _embedded_ipv4(ip):
        problem = _address_problem(inner, allow_loopback=False)
        if problem:
            return f"{label} hiding {inner}, {problem}"
    for network, kind in _REFUSED_WRAPPERS:
        if ip in network:
            return kind
    if ip.ipv4_mapped or ip.sixtofour or ip in _NAT64_WELL_KNOWN:
        return None  # the public IPv4 inside was checked; the wrapper adds no risk
    return _generic_problem(ip)


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> list[tuple[str, ipaddress.IPv4Address]]:
    low32 = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    found: list[tuple[str, ipaddress.IPv4Address]] = []
    if ip.ipv4_mapped:
        found.append(("an IPv4-mapped IPv6 address", ip.ipv4_mapped))
    if ip in _IPV4_COMPATIBLE:
        found.append(("an IPv4-compatible IPv6 address", low32))
    if ip.sixtofour:
        found.append(("a 6to4 IPv6 address", ip.sixtofour))
    if ip in _NAT64_WELL_KNOWN or ip in _NAT64_LOCAL:
        # DNS64 synthesises with a /96 prefix, so the IPv4 sits in the low 32 bits.
        found.append(("a NAT64 IPv6 address", low32))
    if ip.teredo:
        found.extend(("a Teredo IPv6 address", inner) for inner in ip.teredo)
    return found


def _generic_problem(ip: IPAddress) -> str | None:
    # Catch-all for ranges the table does not name (unassigned IPv6 space, and
    # whatever newer Python versions learn to mark as non-global).
    if ip.is_multicast:
        return _MULTICAST
    if ip.is_reserved:
        return _RESERVED
    if not ip.is_global:
        return _NOT_PUBLIC
    return None


def fetch_url(
    url: str,
    *,
    timeout: float = 15.0,
    max_bytes: int = 20 * 1024 * 1024,
    max_redirects: int = 5,
    allow_loopback: bool = False,
    user_agent: str = "EvidenceWorkspace/1.0 (+article fetcher)",
) -> FetchResult:
    """Fetch ``url`` safely; ``timeout`` bounds each step and the whole fetch.

    ``allow_loopback`` exists for tests against a local server only.
    """
    options = _Options(
        timeout=timeout,
        deadline=time.monotonic() + timeout,
        max_bytes=max_bytes,
        max_redirects=max_redirects,
        allow_loopback=allow_loopback,
        user_agent=user_agent,
    )
    try:
        return _follow(url, options)
    except FetchRefused as exc:
        logger.info("Refused to fetch %s: %s", url, exc.message)
        raise
    except FetchTransient as exc:
        logger.info("Temporary failure fetching %s: %s", url, exc.message)
        raise


def _follow(url: str, options: _Options) -> FetchResult:
    redirects: list[str] = []
    current, came_from = url, None
    while True:
        target = _parse_target(current, came_from)
        answer = _fetch_hop(target, _checked_address(target, options), options)
        if answer.location is None:
            return _build_result(url, current, answer, tuple(redirects))
        if len(redirects) >= options.max_redirects:
            raise FetchRefused(
                f"The link to {target.host} was not fetched because it redirected "
                f"more than {options.max_redirects} times."
            )
        came_from, current = target.host, answer.location
        redirects.append(current)


def _parse_target(url: str, came_from: str | None) -> _Target:
    shown = _shown(url)
    intro = f"{came_from} redirected to “{shown}”, which" if came_from else f"The link “{shown}”"
    try:
        parts = urlsplit(url.strip())
        port = parts.port
        host = _ascii_host(parts.hostname or "")
    except ValueError:
        raise FetchRefused(f"{intro} is not a valid web address.") from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise FetchRefused(f"{intro} cannot be fetched because only http:// and https:// web pages are supported.")
    if not host:
        raise FetchRefused(f"{intro} is not a valid web address because it names no website.")
    port = port or _DEFAULT_PORTS[scheme]
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return _Target(url, scheme, host, port, _host_header(host, port, scheme), path)


def _ascii_host(host: str) -> str:
    # Host header and TLS SNI need the ASCII form of internationalised names.
    try:
        return host if host.isascii() else host.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise ValueError(host) from exc


def _host_header(host: str, port: int, scheme: str) -> str:
    name = f"[{host}]" if ":" in host else host
    return name if port == _DEFAULT_PORTS[scheme] else f"{name}:{port}"


def _shown(url: str) -> str:
    # Keep messages one readable sentence even for absurdly long links.
    text = url.strip()
    return text if len(text) <= 80 else text[:77] + "..."


def _checked_address(target: _Target, options: _Options) -> IPAddress:
    # Every address is checked, not just the one we use: a name answering with
    # one public and one private address is a classic DNS-rebinding setup.
    addresses = _resolve(target)
    for ip in addresses:
        problem = _address_problem(ip, allow_loopback=options.allow_loopback)
        if problem:
            raise FetchRefused(_blocked_message(target.host, ip, problem))
    return addresses[0]


def _resolve(target: _Target) -> list[IPAddress]:
    not_found = FetchRefused(
        f"We could not find the host {target.host}, so the link may be mistyped or the site may no longer exist."
    )
    try:
        infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise not_found from None
    addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    if not addresses:
        raise not_found
    return addresses


def _blocked_message(host: str, ip: IPAddress, problem: str) -> str:
    if host == str(ip):
        return f"The link to {host} was not fetched because that address is {problem}."
    return f"The link to {host} was not fetched because it points to {ip}, which is {problem}."


def _fetch_hop(target: _Target, ip: IPAddress, options: _Options) -> _Answer:
    with _open_pool(target, ip, _hop_timeout(target, options)) as pool:
        response = _send(pool, target, options)
        try:
            location = _redirect_location(response, target)
            if location is not None:
                return _Answer(response.status, {}, b"", location)
            _check_status(response, target)
            headers = {name.lower(): response.headers[name] for name in response.headers}
            return _Answer(response.status, headers, _read_body(response, target, options), None)
        finally:
            response.close()


def _hop_timeout(target: _Target, options: _Options) -> urllib3.Timeout:
    remaining = options.deadline - time.monotonic()
    if remaining <= 0:
        raise _timed_out(target, options)
    return urllib3.Timeout(connect=remaining, read=remaining)


def _open_pool(target: _Target, ip: IPAddress, timeout: urllib3.Timeout) -> urllib3.HTTPConnectionPool:
    # host=<checked ip> pins the connection: urllib3 never looks the name up
    # again, so DNS cannot swap in another address after the check.
    if target.scheme == "https":
        return urllib3.HTTPSConnectionPool(
            host=str(ip),
            port=target.port,
            timeout=timeout,
            retries=False,
            cert_reqs="CERT_REQUIRED",
            server_hostname=target.host,  # SNI uses the name, not the IP
            assert_hostname=target.host,  # and so does the certificate check
        )
    return urllib3.HTTPConnectionPool(host=str(ip), port=target.port, timeout=timeout, retries=False)


def _send(pool: urllib3.HTTPConnectionPool, target: _Target, options: _Options) -> BaseHTTPResponse:
    headers = {
        "Host": target.host_header,
        "User-Agent": options.user_agent,
        "Accept": _ACCEPT,
        # Safe only because _read_body counts decompressed bytes in small reads.
        "Accept-Encoding": "gzip, deflate",
    }
    try:
        return pool.urlopen(
            "GET",
            target.path,
            headers=headers,
            redirect=False,
            retries=False,
            preload_content=False,
            assert_same_host=False,  # a path like //other/x is only a path here
        )
    except (u3.HTTPError, OSError, ValueError) as exc:
        raise _translate(exc, target, options) from None


def _redirect_location(response: BaseHTTPResponse, target: _Target) -> str | None:
    location = response.headers.get("Location")
    if response.status not in _REDIRECT_STATUSES or not location:
        return None
    return urljoin(target.url, location.strip())


def _check_status(response: BaseHTTPResponse, target: _Target) -> None:
    status = response.status
    if 200 <= status < 300:
        return
    phrase = http.client.responses.get(status) or response.reason or "(an unusual status)"
    if status == 429 or status >= 500:
        raise FetchTransient(f"The site {target.host} answered {status} {phrase}, so it is worth trying again later.")
    raise FetchRefused(f"The site {target.host} answered {status} {phrase}, so there was no page to save.")


def _read_body(response: BaseHTTPResponse, target: _Target, options: _Options) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.strip().isdigit() and int(declared) > options.max_bytes:
        raise _too_big(target, options)
    chunks: list[bytes] = []
    total = 0
    for chunk in _chunks(response, target, options):
        total += len(chunk)
        if total > options.max_bytes:
            raise _too_big(target, options)
        chunks.append(chunk)
    return b"".join(chunks)


def _chunks(response: BaseHTTPResponse, target: _Target, options: _Options) -> Iterator[bytes]:
    # read1 returns whatever has arrived (at most _CHUNK_BYTES after
    # decompression), so a server trickling bytes cannot outlive the deadline
    # and a gzip bomb is stopped after one chunk past the limit.
    while True:
        if time.monotonic() > options.deadline:
            raise _timed_out(target, options)
        try:
            chunk = response.read1(_CHUNK_BYTES, decode_content=True)
        except (u3.HTTPError, OSError) as exc:
            raise _translate(exc, target, options) from None
        if not chunk:
            return
        yield chunk


def _too_big(target: _Target, options: _Options) -> FetchRefused:
    limit = f"{options.max_bytes / _MB:g}"
    return FetchRefused(f"The page at {target.host} is larger than the {limit} MB limit, so it was not downloaded.")


def _timed_out(target: _Target, options: _Options) -> FetchTransient:
    return FetchTransient(
        f"The site {target.host} took longer than {options.timeout:g} seconds to answer, so the fetch was stopped."
    )


def _translate(exc: Exception, target: _Target, options: _Options) -> FetchError:
    host = target.host
    # NewConnectionError subclasses ConnectTimeoutError in urllib3 2.x, so it
    # must be tested before the timeout branch.
    if isinstance(exc, u3.NewConnectionError | u3.ProtocolError | ConnectionError):
        return FetchTransient(f"The connection to {host} was refused or cut off, so it is worth trying again later.")
    if isinstance(exc, u3.TimeoutError | TimeoutError):
        return _timed_out(target, options)
    if isinstance(exc, u3.SSLError):
        return FetchRefused(f"The secure connection to {host} failed because its certificate could not be verified.")
    if isinstance(exc, u3.DecodeError):
        return FetchRefused(f"The site {host} sent a compressed page that could not be unpacked.")
    if isinstance(exc, ValueError):
        return FetchRefused(f"The link to {host} could not be requested because it is malformed.")
    return FetchTransient(f"Something went wrong while talking to {host}, so it is worth trying again later.")


def _build_result(requested_url: str, final_url: str, answer: _Answer, redirects: tuple[str, ...]) -> FetchResult:
    content_type, charset = _parse_content_type(answer.headers.get("content-type", ""))
    return FetchResult(
        requested_url=requested_url,
        final_url=final_url,
        status=answer.status,
        headers=answer.headers,
        body=answer.body,
        content_type=content_type,
        charset=charset,
        fetched_at=datetime.now(UTC),
        redirects=redirects,
    )


def _parse_content_type(value: str) -> tuple[str, str | None]:
    media_type, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, raw = param.partition("=")
        if name.strip().lower() == "charset" and raw.strip(" \t\"'"):
            charset = raw.strip(" \t\"'").lower()
    return media_type.strip().lower(), charset
