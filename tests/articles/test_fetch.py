"""Tests for articles.fetch, the one door for outbound HTTP.

Everything runs against a real ThreadingHTTPServer on 127.0.0.1. An autouse
guard fails any test that would look up a real name in DNS or connect to a
non-loopback address, so nothing here can leave the machine.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import socket
import ssl
import sys
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import pytest
import urllib3.util.connection

from articles.fetch import (
    FetchRefused,
    FetchResult,
    FetchTransient,
    check_address,
    fetch_url,
)

PAGE_BODY = "<html><body><p>Café crème</p></body></html>".encode("cp1252")
BOMB_DECOMPRESSED_BYTES = 64 * 1024 * 1024


# --- the local test server --------------------------------------------------


@cache
def gzip_bomb() -> bytes:
    """About 64 KB of gzip that inflates to 64 MB of zeros."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(1024 * 1024)
    parts = [compressor.compress(block) for _ in range(BOMB_DECOMPRESSED_BYTES // len(block))]
    return b"".join(parts) + compressor.flush()


def gzip_bytes(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)
    return compressor.compress(data) + compressor.flush()


@dataclass
class ServerState:
    stop: threading.Event = field(default_factory=threading.Event)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    sni_names: list[str | None] = field(default_factory=list)


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    state: ServerState

    def handle_error(self, request: Any, client_address: Any) -> None:
        # The fetcher hangs up on purpose (size limits, timeouts); that is the
        # behaviour under test, not a server failure worth a traceback.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class Handler(BaseHTTPRequestHandler):
    server: QuietServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        self.server.state.requests.append((url.path, dict(self.headers.items())))
        route = ROUTES.get(url.path.rstrip("/").rsplit("/", 1)[0] + "/*")
        route = ROUTES.get(url.path, route)
        if route is None:
            self.reply(404, b"no such test page")
        else:
            route(self, url.path, parse_qs(url.query))

    def reply(self, status: int, body: bytes, **extra: str) -> None:
        headers = {"Content-Type": "text/plain", "Content-Length": str(len(body))}
        headers.update({name.replace("_", "-"): value for name, value in extra.items()})
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def start_unsized(self, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.end_headers()

    def wait(self, seconds: float) -> None:
        self.server.state.stop.wait(seconds)


Route = Callable[[Handler, str, dict[str, list[str]]], None]


def page(h: Handler, path: str, query: dict[str, list[str]]) -> None:
    h.reply(200, PAGE_BODY, Content_Type="text/html; charset=windows-1252")


def chain(h: Handler, path: str, query: dict[str, list[str]]) -> None:
    # Relative Locations on purpose: "2" from /chain/3 means /chain/2.
    remaining = int(path.rsplit("/", 1)[1])
    location = str(remaining - 1) if remaining > 1 else "../page"
    h.reply(302, b"", Location=location)


def redirect_to(h: Handler, path: str, query: dict[str, list[str]]) -> None:
    h.reply(302, b"", Location=query["url"][0])


def slow(h: Handler, path: str, query: dict[str, list[str]]) -> None:
    h.wait(3)
    h.reply(200, b"too late")


def trickle(h: Handler, path: str, query: dict[str, list[str]]) -> None:
    # A byte every 50 ms never trips a per-read timeout; only a deadline helps.
    h.start_unsized()
    for _ in range(100):
        h.wfile.write(b"x")
        h.wait(0.05)


def huge(h: Handler, path: str, query: dict[str, list[str]]) -> None:
    h.start_unsized()
    for _ in range(128):
        h.wfile.write(bytes(64 * 1024))


def declared_huge(h: Handler, path: str, query: dict[str, list[str]]) -> None:
    # Claims a terabyte, sends 10 bytes, then stalls: only an early refusal
    # based on Content-Length returns quickly with FetchRefused.
    h.send_response(200)
    h.send_header("Content-Length", str(10**12))
    h.end_headers()
    h.wfile.write(b"0123456789")
    h.wait(3)


def bomb(h: Handler, path: str, query: dict[str, list[str]]) -> None:
    h.reply(200, gzip_bomb(), Content_Type="text/html", Content_Encoding="gzip")


def gzip_page(h: Handler, path: str, query: dict[str, list[str]]) -> None:
    h.reply(200, gzip_bytes(PAGE_BODY), Content_Encoding="gzip")


def short_length(h: Handler, path: str, query: dict[str, list[str]]) -> None:
    h.reply(200, b"hello" + bytes(256 * 1024), Content_Length="5")


def long_length(h: Handler, path: str, query: dict[str, list[str]]) -> None:
    h.reply(200, b"only ten b", Content_Length="1000")


ROUTES: dict[str, Route] = {
    "/page": page,
    "/chain/*": chain,
    "/loop": lambda h, p, q: h.reply(302, b"", Location="/loop"),
    "/to": redirect_to,
    "/missing": lambda h, p, q: h.reply(404, b"not here"),
    "/unavailable": lambda h, p, q: h.reply(503, b"down"),
    "/busy": lambda h, p, q: h.reply(429, b"slow down", Retry_After="1"),
    "/slow": slow,
    "/trickle": trickle,
    "/huge": huge,
    "/declared-huge": declared_huge,
    "/gzip-bomb": bomb,
    "/gzip-page": gzip_page,
    "/short-content-length": short_length,
    "/long-content-length": long_length,
}


@dataclass
class RunningServer:
    port: int
    state: ServerState
    scheme: str = "http"

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    @property
    def paths(self) -> list[str]:
        return [path for path, _ in self.state.requests]


def run_server(tls: ssl.SSLContext | None = None) -> Iterator[RunningServer]:
    server = QuietServer(("127.0.0.1", 0), Handler)
    server.state = ServerState()
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield RunningServer(server.server_address[1], server.state, "https" if tls else "http")
    finally:
        server.state.stop.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --- fixtures ---------------------------------------------------------------


@dataclass
class NetworkGuard:
    connections: list[tuple[str, int]] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)

    @property
    def connected_hosts(self) -> set[str]:
        return {host for host, _ in self.connections}


@pytest.fixture(autouse=True)
def fetch_network_guard(monkeypatch: pytest.MonkeyPatch) -> Iterator[NetworkGuard]:
    """Fail any test that would do a real DNS lookup or leave loopback."""
    guard = NetworkGuard()
    real_getaddrinfo = socket.getaddrinfo
    real_connect = urllib3.util.connection.create_connection

    def numeric_only_getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            real_getaddrinfo(host, port, flags=socket.AI_NUMERICHOST)
        except socket.gaierror:
            guard.violations.append(f"real DNS lookup of {host!r}")
            raise AssertionError(f"test tried a real DNS lookup of {host!r}") from None
        return real_getaddrinfo(host, port, *args, **kwargs)

    def loopback_only_connect(address: tuple[str, int], *args: Any, **kwargs: Any) -> Any:
        if not ipaddress.ip_address(address[0]).is_loopback:
            guard.violations.append(f"connection to {address!r}")
            raise AssertionError(f"test tried to connect to {address!r}")
        guard.connections.append(address)
        return real_connect(address, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", numeric_only_getaddrinfo)
    monkeypatch.setattr(urllib3.util.connection, "create_connection", loopback_only_connect)
    yield guard
    assert guard.violations == []


@pytest.fixture
def fetch_server() -> Iterator[RunningServer]:
    yield from run_server()


class FakeDNS:
    """Answers for made-up names; each lookup takes the next answer."""

    def __init__(self, passthrough: Callable[..., Any]) -> None:
        self.answers: dict[str, list[list[str]]] = {}
        self.lookups: list[str] = []
        self.passthrough = passthrough

    def add(self, name: str, *answers: list[str]) -> None:
        self.answers[name] = list(answers)

    def getaddrinfo(self, host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if name not in self.answers:
            return self.passthrough(host, port, *args, **kwargs)
        self.lookups.append(name)
        queue = self.answers[name]
        addresses = queue.pop(0) if len(queue) > 1 else queue[0]
        if not addresses:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [addrinfo(ip, port) for ip in addresses]


def addrinfo(ip: str, port: int) -> tuple[Any, ...]:
    if ":" in ip:
        return (socket.AF_INET6, socket.SOCK_STREAM, 6, "", (ip, port, 0, 0))
    return (socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))


@pytest.fixture
def fetch_fake_dns(monkeypatch: pytest.MonkeyPatch, fetch_network_guard: NetworkGuard) -> FakeDNS:
    dns = FakeDNS(socket.getaddrinfo)
    monkeypatch.setattr(socket, "getaddrinfo", dns.getaddrinfo)
    return dns


@dataclass
class TLSFiles:
    ca_pem: Path
    cert_pem: Path
    key_pem: Path


@pytest.fixture
def fetch_tls_files(tmp_path: Path) -> TLSFiles:
    """A throwaway CA and a certificate for news.example.test signed by it."""
    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    def build(subject: str, issuer: str, key: Any, signer: Any, ca: bool) -> Any:
        now = dt.datetime.now(dt.UTC)
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1))
            .not_valid_after(now + dt.timedelta(hours=1))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )
        if ca:
            ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
            usage = x509.KeyUsage(False, False, False, False, False, True, True, False, False)
            builder = builder.add_extension(ski, critical=False)
            builder = builder.add_extension(usage, critical=True)
        else:
            names = x509.SubjectAlternativeName([x509.DNSName(subject)])
            builder = builder.add_extension(names, critical=False)
            aki = x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.public_key())
            builder = builder.add_extension(aki, critical=False)
        return builder.sign(signer, hashes.SHA256())

    ca_key = ec.generate_private_key(ec.SECP256R1())
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = build("Fetch Test CA", "Fetch Test CA", ca_key, ca_key, ca=True)
    leaf_cert = build("news.example.test", "Fetch Test CA", leaf_key, ca_key, ca=False)
    files = TLSFiles(tmp_path / "ca.pem", tmp_path / "cert.pem", tmp_path / "key.pem")
    files.ca_pem.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    files.cert_pem.write_bytes(leaf_cert.public_bytes(serialization.Encoding.PEM))
    files.key_pem.write_bytes(
        leaf_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return files


@pytest.fixture
def fetch_tls_server(fetch_tls_files: TLSFiles, monkeypatch: pytest.MonkeyPatch) -> Iterator[RunningServer]:
    # urllib3 loads the default trust store, which OpenSSL reads from
    # SSL_CERT_FILE: trusting the throwaway CA needs no hook in the product code.
    monkeypatch.setenv("SSL_CERT_FILE", str(fetch_tls_files.ca_pem))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(fetch_tls_files.cert_pem, fetch_tls_files.key_pem)
    servers: list[RunningServer] = []

    def remember_sni(sock: Any, name: str | None, ctx: Any) -> None:
        servers[0].state.sni_names.append(name)

    context.sni_callback = remember_sni
    for server in run_server(context):
        servers.append(server)
        yield server


def refusal(url: str, **kwargs: Any) -> FetchRefused:
    with pytest.raises(FetchRefused) as caught:
        fetch_url(url, **kwargs)
    return caught.value


def transient(url: str, **kwargs: Any) -> FetchTransient:
    with pytest.raises(FetchTransient) as caught:
        fetch_url(url, **kwargs)
    return caught.value


# --- check_address ----------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("10.0.0.1", "private"),
        ("172.16.5.4", "private"),
        ("172.31.255.255", "private"),
        ("192.168.1.1", "private"),
        ("127.0.0.1", "loopback"),
        ("127.255.255.254", "loopback"),
        ("::1", "loopback"),
        ("169.254.169.254", "link-local"),
        ("169.254.0.1", "link-local"),
        ("fe80::1", "link-local"),
        ("100.64.0.1", "carrier-grade NAT"),
        ("100.127.255.254", "carrier-grade NAT"),
        ("224.0.0.1", "multicast"),
        ("239.255.255.250", "multicast"),
        ("ff02::1", "multicast"),
        ("ff0e::1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
        ("0.1.2.3", "reserved"),
        ("192.0.0.8", "reserved"),
        ("0.0.0.0", "unspecified"),  # noqa: S104 - an address under test, not a bind
        ("::", "unspecified"),
        ("198.18.0.1", "benchmarking"),
        ("198.19.255.254", "benchmarking"),
        ("2001:2::1", "benchmarking"),
        ("192.0.2.1", "documentation"),
        ("198.51.100.7", "documentation"),
        ("203.0.113.9", "documentation"),
        ("2001:db8::1", "documentation"),
        ("3fff::1", "documentation"),
        ("fc00::1", "unique-local"),
        ("fd12:3456:789a::1", "unique-local"),
        ("fec0::1", "site-local"),
        ("::ffff:127.0.0.1", "IPv4-mapped IPv6 address hiding 127.0.0.1, a loopback"),
        ("::ffff:10.0.0.1", "IPv4-mapped IPv6 address hiding 10.0.0.1, a private"),
        ("::ffff:169.254.169.254", "IPv4-mapped IPv6 address hiding 169.254.169.254"),
        ("::127.0.0.1", "IPv4-compatible IPv6 address hiding 127.0.0.1, a loopback"),
        ("::93.184.216.34", "deprecated IPv4-compatible"),
        ("2002:7f00:1::", "6to4 IPv6 address hiding 127.0.0.1, a loopback"),
        ("2002:a9fe:a9fe::1", "6to4 IPv6 address hiding 169.254.169.254"),
        ("64:ff9b::7f00:1", "NAT64 IPv6 address hiding 127.0.0.1, a loopback"),
        ("64:ff9b::a00:1", "NAT64 IPv6 address hiding 10.0.0.1, a private"),
        ("64:ff9b:1::7f00:1", "NAT64 IPv6 address hiding 127.0.0.1, a loopback"),
        ("64:ff9b:1::5db8:d822", "local-use NAT64"),
        # Teredo: server 65.54.227.120, client 127.0.0.1 stored bit-inverted.
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", "Teredo IPv6 address hiding 127.0.0.1"),
        ("2001:0:a00:1::1", "Teredo IPv6 address hiding 10.0.0.1"),
        ("2001:0:4136:e378:8000:63bf:a247:27dd", "Teredo tunnel address"),
        ("100::1", "reserved"),
        ("4000::1", "reserved"),
    ],
)
def test_check_address_refuses_non_public_address(address: str, kind: str) -> None:
    with pytest.raises(FetchRefused) as caught:
        check_address(ipaddress.ip_address(address))
    assert kind in caught.value.message


@pytest.mark.parametrize(
    "address",
    [
        "93.184.216.34",
        "8.8.8.8",
        "1.1.1.1",
        "2606:2800:220:1::1",
        "2a00:1450:4001:80b::200e",
        "::ffff:93.184.216.34",
        "2002:5db8:d822::1",
        "64:ff9b::5db8:d822",
    ],
)
def test_check_address_allows_public_address(address: str) -> None:
    check_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["127.0.0.1", "127.1.2.3", "::1"])
def test_check_address_allow_loopback_permits_plain_loopback(address: str) -> None:
    check_address(ipaddress.ip_address(address), allow_loopback=True)


@pytest.mark.parametrize(
    "address",
    ["10.0.0.1", "192.168.1.1", "169.254.169.254", "fe80::1", "::ffff:127.0.0.1", "::127.0.0.1"],
)
def test_check_address_allow_loopback_still_refuses_everything_else(address: str) -> None:
    with pytest.raises(FetchRefused):
        check_address(ipaddress.ip_address(address), allow_loopback=True)


def test_check_address_message_is_one_sentence_naming_address_and_kind() -> None:
    with pytest.raises(FetchRefused) as caught:
        check_address(ipaddress.ip_address("169.254.169.254"))
    assert caught.value.message == (
        "The address 169.254.169.254 was refused because it is a link-local address like the cloud metadata service."
    )


def test_check_address_never_opens_a_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_sockets(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("check_address must not touch the network")

    monkeypatch.setattr(socket, "socket", no_sockets)
    monkeypatch.setattr(socket, "getaddrinfo", no_sockets)
    check_address(ipaddress.ip_address("93.184.216.34"))
    with pytest.raises(FetchRefused):
        check_address(ipaddress.ip_address("10.0.0.1"))


def test_check_address_logs_refusal_at_info(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="articles.fetch")
    with pytest.raises(FetchRefused):
        check_address(ipaddress.ip_address("10.1.2.3"))
    assert [(r.levelno, r.getMessage()) for r in caplog.records] == [
        (logging.INFO, "Refused address 10.1.2.3: a private network address")
    ]


# --- links that are refused before any connection -----------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.com/file.txt",
        "gopher://example.com/",
        "javascript:alert(1)",
        "data:text/html,<p>hi</p>",
        "example.com/story",
        "//example.com/story",
        "",
    ],
)
def test_fetch_refuses_anything_but_http_and_https(url: str, fetch_network_guard: NetworkGuard) -> None:
    error = refusal(url)
    assert "only http:// and https://" in error.message
    assert fetch_network_guard.connections == []


@pytest.mark.parametrize("url", ["http://", "http:///path-only", "http://[::1", "http://example.com:99999/"])
def test_fetch_refuses_text_that_is_not_a_web_address(url: str) -> None:
    assert "is not a valid web address" in refusal(url).message


def test_fetch_refuses_the_local_server_without_allow_loopback(
    fetch_server: RunningServer, fetch_network_guard: NetworkGuard
) -> None:
    error = refusal(fetch_server.url("/page"))
    assert "loopback" in error.message
    assert fetch_server.paths == []
    assert fetch_network_guard.connections == []


def test_fetch_checks_the_host_not_the_userinfo_disguise(
    fetch_server: RunningServer, fetch_network_guard: NetworkGuard
) -> None:
    error = refusal(f"http://example.com@127.0.0.1:{fetch_server.port}/page")
    assert error.message.startswith("The link to 127.0.0.1 was not fetched")
    assert fetch_network_guard.connections == []


def test_fetch_with_userinfo_connects_to_host_without_sending_credentials(
    fetch_server: RunningServer,
) -> None:
    result = fetch_url(f"http://user:secret@127.0.0.1:{fetch_server.port}/page", allow_loopback=True)
    headers = fetch_server.state.requests[0][1]
    assert result.body == PAGE_BODY
    assert "Authorization" not in headers


@pytest.mark.parametrize("host", ["2130706433", "0177.0.0.1", "0x7f.0.0.1", "127.1"])
def test_fetch_refuses_numeric_disguises_of_loopback(
    host: str, fetch_server: RunningServer, fetch_network_guard: NetworkGuard
) -> None:
    error = refusal(fetch_server.url("/page", host=host))
    assert f"The link to {host} was not fetched because it points to 127.0.0.1" in (error.message)
    assert fetch_server.paths == []
    assert fetch_network_guard.connections == []


@pytest.mark.parametrize("host", ["[::1]", "[::ffff:127.0.0.1]", "[::127.0.0.1]"])
def test_fetch_refuses_ipv6_forms_of_loopback(host: str) -> None:
    assert "loopback" in refusal(f"http://{host}:8080/").message


def test_fetch_allow_loopback_does_not_allow_mapped_loopback() -> None:
    error = refusal("http://[::ffff:127.0.0.1]:8080/", allow_loopback=True)
    assert "IPv4-mapped" in error.message


def test_fetch_refuses_cloud_metadata_address(fetch_network_guard: NetworkGuard) -> None:
    error = refusal("http://169.254.169.254/latest/meta-data/", allow_loopback=True)
    assert "link-local" in error.message
    assert fetch_network_guard.connections == []


def test_fetch_refuses_unresolvable_host(fetch_fake_dns: FakeDNS) -> None:
    fetch_fake_dns.add("no-such-paper.example.test", [])
    error = refusal("https://no-such-paper.example.test/story")
    assert error.message.startswith("We could not find the host no-such-paper.example.test")


def test_fetch_refuses_host_when_any_resolved_address_is_blocked(
    fetch_server: RunningServer, fetch_fake_dns: FakeDNS, fetch_network_guard: NetworkGuard
) -> None:
    fetch_fake_dns.add("mixed.example.test", ["127.0.0.1", "10.0.0.1"])
    error = refusal(fetch_server.url("/page", host="mixed.example.test"), allow_loopback=True)
    assert "points to 10.0.0.1, which is a private network address" in error.message
    assert fetch_network_guard.connections == []


# --- DNS pinning and TLS ------------------------------------------------------


def test_fetch_resolves_once_and_connects_to_the_checked_address(
    fetch_server: RunningServer, fetch_fake_dns: FakeDNS, fetch_network_guard: NetworkGuard
) -> None:
    # A rebinding name: the second answer would be private if anyone asked.
    fetch_fake_dns.add("news.example.test", ["127.0.0.1"], ["10.0.0.1"])
    result = fetch_url(fetch_server.url("/page", host="news.example.test"), allow_loopback=True)
    assert result.status == 200
    assert fetch_fake_dns.lookups == ["news.example.test"]
    assert fetch_network_guard.connections == [("127.0.0.1", fetch_server.port)]
    host_header = fetch_server.state.requests[0][1]["Host"]
    assert host_header == f"news.example.test:{fetch_server.port}"


def test_fetch_https_pins_address_but_uses_the_name_for_sni_and_certificate(
    fetch_tls_server: RunningServer, fetch_fake_dns: FakeDNS, fetch_network_guard: NetworkGuard
) -> None:
    fetch_fake_dns.add("news.example.test", ["127.0.0.1"], ["10.0.0.1"])
    result = fetch_url(fetch_tls_server.url("/page", host="news.example.test"), allow_loopback=True)
    assert result.body == PAGE_BODY
    assert fetch_fake_dns.lookups == ["news.example.test"]
    assert fetch_network_guard.connections == [("127.0.0.1", fetch_tls_server.port)]
    assert fetch_tls_server.state.sni_names == ["news.example.test"]


def test_fetch_https_refuses_certificate_for_another_name(
    fetch_tls_server: RunningServer, fetch_fake_dns: FakeDNS
) -> None:
    fetch_fake_dns.add("other.example.test", ["127.0.0.1"])
    error = refusal(fetch_tls_server.url("/page", host="other.example.test"), allow_loopback=True)
    assert "certificate could not be verified" in error.message
    assert fetch_tls_server.paths == []


# --- successful fetches -------------------------------------------------------


def test_fetch_returns_page_with_content_type_and_charset(
    fetch_server: RunningServer,
) -> None:
    url = fetch_server.url("/page")
    result = fetch_url(url, allow_loopback=True)
    assert isinstance(result, FetchResult)
    assert (result.requested_url, result.final_url, result.status) == (url, url, 200)
    assert result.content_type == "text/html"
    assert result.charset == "windows-1252"
    assert result.body.decode(result.charset) == "<html><body><p>Café crème</p></body></html>"
    assert result.headers["content-type"] == "text/html; charset=windows-1252"
    assert result.redirects == ()


def test_fetch_records_fetch_time_in_utc(fetch_server: RunningServer) -> None:
    before = dt.datetime.now(dt.UTC)
    result = fetch_url(fetch_server.url("/page"), allow_loopback=True)
    assert result.fetched_at.tzinfo is dt.UTC
    assert before <= result.fetched_at <= dt.datetime.now(dt.UTC)


def test_fetch_sends_user_agent_and_accept_encoding(fetch_server: RunningServer) -> None:
    fetch_url(fetch_server.url("/page"), allow_loopback=True, user_agent="Tester/2.0")
    headers = fetch_server.state.requests[0][1]
    assert headers["User-Agent"] == "Tester/2.0"
    assert headers["Accept-Encoding"] == "gzip, deflate"


def test_fetch_decodes_gzip_page(fetch_server: RunningServer) -> None:
    result = fetch_url(fetch_server.url("/gzip-page"), allow_loopback=True)
    assert result.body == PAGE_BODY


def test_fetch_follows_redirect_chain_with_relative_locations(
    fetch_server: RunningServer,
) -> None:
    result = fetch_url(fetch_server.url("/chain/3"), allow_loopback=True)
    assert result.final_url == fetch_server.url("/page")
    assert result.redirects == (
        fetch_server.url("/chain/2"),
        fetch_server.url("/chain/1"),
        fetch_server.url("/page"),
    )
    assert result.body == PAGE_BODY


def test_fetch_allows_exactly_max_redirects(fetch_server: RunningServer) -> None:
    result = fetch_url(fetch_server.url("/chain/2"), allow_loopback=True, max_redirects=2)
    assert len(result.redirects) == 2


# --- redirects that are refused ---------------------------------------------------


def test_fetch_refuses_more_than_max_redirects(fetch_server: RunningServer) -> None:
    error = refusal(fetch_server.url("/chain/3"), allow_loopback=True, max_redirects=2)
    assert "redirected more than 2 times" in error.message


def test_fetch_refuses_redirect_loop_naming_the_count(fetch_server: RunningServer) -> None:
    error = refusal(fetch_server.url("/loop"), allow_loopback=True)
    assert error.message == ("The link to 127.0.0.1 was not fetched because it redirected more than 5 times.")
    assert fetch_server.paths == ["/loop"] * 6


def test_fetch_refuses_redirect_to_private_address_before_connecting(
    fetch_server: RunningServer, fetch_network_guard: NetworkGuard
) -> None:
    url = fetch_server.url("/to?url=" + quote("http://10.0.0.1/admin", safe=""))
    error = refusal(url, allow_loopback=True)
    assert "points to" not in error.message
    assert error.message == ("The link to 10.0.0.1 was not fetched because that address is a private network address.")
    assert fetch_network_guard.connected_hosts == {"127.0.0.1"}


def test_fetch_refuses_redirect_to_name_resolving_to_private_address(
    fetch_server: RunningServer, fetch_fake_dns: FakeDNS, fetch_network_guard: NetworkGuard
) -> None:
    fetch_fake_dns.add("intranet.example.test", ["192.168.0.10"])
    url = fetch_server.url("/to?url=" + quote("http://intranet.example.test/", safe=""))
    error = refusal(url, allow_loopback=True)
    assert "points to 192.168.0.10" in error.message
    assert fetch_fake_dns.lookups == ["intranet.example.test"]
    assert fetch_network_guard.connected_hosts == {"127.0.0.1"}


def test_fetch_refuses_redirect_to_file_url(fetch_server: RunningServer) -> None:
    url = fetch_server.url("/to?url=" + quote("file:///etc/passwd", safe=""))
    error = refusal(url, allow_loopback=True)
    assert error.message == (
        "127.0.0.1 redirected to “file:///etc/passwd”, which cannot be fetched "
        "because only http:// and https:// web pages are supported."
    )


# --- status codes ---------------------------------------------------------------


def test_fetch_refuses_404_naming_the_status(fetch_server: RunningServer) -> None:
    error = refusal(fetch_server.url("/missing"), allow_loopback=True)
    assert error.message == ("The site 127.0.0.1 answered 404 Not Found, so there was no page to save.")


def test_fetch_treats_503_as_transient(fetch_server: RunningServer) -> None:
    error = transient(fetch_server.url("/unavailable"), allow_loopback=True)
    assert "answered 503 Service Unavailable" in error.message


def test_fetch_treats_429_as_transient(fetch_server: RunningServer) -> None:
    error = transient(fetch_server.url("/busy"), allow_loopback=True)
    assert "answered 429 Too Many Requests" in error.message


# --- time and connection limits -------------------------------------------------


def test_fetch_times_out_on_slow_endpoint(fetch_server: RunningServer) -> None:
    started = time.monotonic()
    error = transient(fetch_server.url("/slow"), allow_loopback=True, timeout=0.5)
    assert time.monotonic() - started < 2
    assert "took longer than 0.5 seconds" in error.message


def test_fetch_stops_trickling_body_at_overall_deadline(fetch_server: RunningServer) -> None:
    started = time.monotonic()
    error = transient(fetch_server.url("/trickle"), allow_loopback=True, timeout=0.5)
    assert time.monotonic() - started < 2
    assert "took longer than 0.5 seconds" in error.message


def test_fetch_treats_refused_connection_as_transient() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    error = transient(f"http://127.0.0.1:{closed_port}/", allow_loopback=True)
    assert "connection to 127.0.0.1 was refused or cut off" in error.message


# --- size limits ------------------------------------------------------------------


def test_fetch_refuses_body_over_max_bytes_while_streaming(
    fetch_server: RunningServer,
) -> None:
    error = refusal(fetch_server.url("/huge"), allow_loopback=True, max_bytes=256 * 1024)
    assert error.message == ("The page at 127.0.0.1 is larger than the 0.25 MB limit, so it was not downloaded.")


def test_fetch_refuses_declared_content_length_over_limit_before_reading(
    fetch_server: RunningServer,
) -> None:
    started = time.monotonic()
    error = refusal(fetch_server.url("/declared-huge"), allow_loopback=True, timeout=2)
    assert time.monotonic() - started < 1
    assert "larger than the 20 MB limit" in error.message


def test_fetch_refuses_gzip_bomb_by_size_without_eating_memory(
    fetch_server: RunningServer,
) -> None:
    gzip_bomb()  # build it before measuring
    tracemalloc.start()
    try:
        error = refusal(fetch_server.url("/gzip-bomb"), allow_loopback=True, max_bytes=1024 * 1024)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "larger than the 1 MB limit" in error.message
    assert peak < BOMB_DECOMPRESSED_BYTES // 8


def test_fetch_reads_only_the_declared_bytes_when_content_length_is_short(
    fetch_server: RunningServer,
) -> None:
    result = fetch_url(fetch_server.url("/short-content-length"), allow_loopback=True)
    assert result.body == b"hello"


def test_fetch_treats_body_shorter_than_content_length_as_transient(
    fetch_server: RunningServer,
) -> None:
    error = transient(fetch_server.url("/long-content-length"), allow_loopback=True)
    assert "was refused or cut off" in error.message


# --- messages and logging ---------------------------------------------------------


@pytest.mark.parametrize("path", ["/missing", "/loop", "/to?url=file%3A%2F%2F%2Fetc%2Fpasswd", "/unavailable"])
def test_failure_messages_are_one_plain_sentence_naming_the_host(path: str, fetch_server: RunningServer) -> None:
    with pytest.raises((FetchRefused, FetchTransient)) as caught:
        fetch_url(fetch_server.url(path), allow_loopback=True)
    message = caught.value.message
    assert "127.0.0.1" in message
    assert message.endswith(".") and message.count(". ") == 0
    assert "\n" not in message and "Error" not in message and "urllib3" not in message
    assert str(caught.value) == message


def test_fetch_logs_refusal_at_info_with_reason(fetch_server: RunningServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="articles.fetch")
    url = fetch_server.url("/missing")
    refusal(url, allow_loopback=True)
    assert [(r.levelno, r.getMessage()) for r in caplog.records] == [
        (
            logging.INFO,
            f"Refused to fetch {url}: The site 127.0.0.1 answered 404 Not Found, so there was no page to save.",
        )
    ]
