"""URL import hardening (issue 14 #3, #4): no request to loopback/private/link-local addresses, every
hop checked (redirects, links.next), one overall deadline, size caps, errors that tell nothing about
internal services, and a fetch that happens before (outside) any database lock."""

from __future__ import annotations

import ipaddress
import json
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from bot.engine.store import connect
from bot.moderation.fetch import FetchError, FetchPolicy, check_url, is_public_address, policy_from_env
from bot.moderation.service import KnowledgeService, ServiceError

ROOT = Path(__file__).resolve().parents[1]
COURSE = {
    "type": "Course",
    "id": "c1",
    "attributes": {"name": "Safe fetch course", "url": "https://example.org/courses/safe-fetch"},
}


def only(address: str) -> FetchPolicy:
    """Test-only policy: http allowed, and exactly this one loopback address (the default refuses it)."""
    return FetchPolicy(allow_http=True, address_allowed=lambda ip: str(ip) == address, page_timeout=5)


class Server:
    """A tiny HTTP server on `host` whose routes are set per test; records every request path."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Any] = {}
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(self.path)
                route = server.routes.get(self.path.split("?")[0])
                if route is None:
                    self.send_response(404)
                    self.end_headers()
                    self.wfile.write(b"SECRET internal 404 page")
                    return
                route(self)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://{host}:{self.httpd.server_address[1]}"
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def json(self, path: str, body: Any) -> None:
        data = json.dumps(body).encode()

        def send(handler: BaseHTTPRequestHandler) -> None:
            handler.send_response(200)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)

        self.routes[path] = send

    def redirect(self, path: str, location: str) -> None:
        def send(handler: BaseHTTPRequestHandler) -> None:
            handler.send_response(302)
            handler.send_header("Location", location)
            handler.send_header("Content-Length", "0")
            handler.end_headers()

        self.routes[path] = send

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[Server]:
    s = Server()
    yield s
    s.close()


@pytest.fixture
def service(db_path: Path) -> KnowledgeService:
    return KnowledgeService(connect(db_path), "cli:security")


def page(next_link: Any = None, items: list[Any] | None = None) -> dict[str, Any]:
    links: dict[str, Any] = {"self": "https://example.org/courses"}
    if next_link is not None:
        links["next"] = next_link
    return {"links": links, "data": items if items is not None else []}


# -- the address check ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
        "100.64.0.1", "0.0.0.0", "224.0.0.1", "240.0.0.1", "255.255.255.255", "::1", "::",
        "fe80::1", "fc00::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::7f00:1",
        "2002:7f00:1::1", "2001:0:4136:e378:8000:63bf:f5ff:fffe",
    ],
)  # fmt: skip
def test_non_public_addresses_are_refused(address: str) -> None:
    assert not is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "1.1.1.1"])
def test_public_addresses_pass(address: str) -> None:
    assert is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "localhost", "0x7f000001", "2130706433", "127.1", "0177.0.0.1", "[::1]",
             "[::ffff:127.0.0.1]", "169.254.169.254", "0.0.0.0"],
)  # fmt: skip
def test_every_spelling_of_a_local_address_is_refused_without_a_request(server: Server, host: str) -> None:
    server.json("/courses", page(items=[COURSE]))
    port = server.port
    for url in (f"http://{host}:{port}/courses", f"https://{host}:{port}/courses"):
        with pytest.raises(FetchError) as caught:
            check_url(url, FetchPolicy(allow_http=True))
        assert caught.value.blocked
    assert server.requests == []


def test_default_policy_is_https_only_and_the_allow_list_is_checked_before_any_lookup() -> None:
    for url, policy in [
        ("http://example.org/courses", FetchPolicy()),
        ("ftp://example.org/courses", FetchPolicy(allow_http=True)),
        ("https://user:pw@example.org/courses", FetchPolicy()),
        ("https://evil.example/courses", FetchPolicy(hosts=frozenset({"imoox.at"}))),
        ("https://imoox.at.evil.example/", FetchPolicy(hosts=frozenset({"imoox.at"}))),
    ]:
        with pytest.raises(FetchError) as caught:
            check_url(url, policy)
        assert caught.value.blocked, url


def test_operator_settings_come_from_the_environment() -> None:
    assert policy_from_env({}) == FetchPolicy()
    policy = policy_from_env({"CMF_BOT_IMPORT_ALLOW_HTTP": "1", "CMF_BOT_IMPORT_HOSTS": " iMooX.at, b.eu ,"})
    assert policy.allow_http and policy.hosts == frozenset({"imoox.at", "b.eu"})


# -- through the service (what `cmf-bot kb import URL` and `/kb import url:` call) ------------------


def test_default_import_refuses_the_local_server_and_sends_nothing(
    service: KnowledgeService, server: Server
) -> None:
    server.json("/courses", page(items=[COURSE]))
    for url in (f"{server.base}/courses", f"http://0x7f000001:{server.port}/courses"):
        with pytest.raises(ServiceError, match="not allowed") as caught:
            service.import_url(url, platform="iMooX")
        assert caught.value.code == "import_blocked"
    assert server.requests == []


def test_the_allow_path_works_with_a_test_only_address_override(
    service: KnowledgeService, server: Server
) -> None:
    server.json("/courses", page({"href": "/courses2"}, [COURSE]))
    second = {**COURSE, "attributes": {"name": "Second page", "url": "https://example.org/c/2"}}
    server.json("/courses2", page(None, [second]))
    report = service.import_url(f"{server.base}/courses", platform="iMooX", policy=only("127.0.0.1"))
    assert server.requests == ["/courses", "/courses2"]  # {"href": …} is followed, not dropped
    assert report.pages == 2 and len(report.added) == 2 and report.applied


def test_redirects_and_next_links_to_a_refused_address_are_not_followed(
    service: KnowledgeService, server: Server
) -> None:
    inner = Server("127.0.0.2")  # stands for an internal service: not allowed by the policy
    try:
        inner.json("/admin", page(items=[COURSE]))
        policy = only("127.0.0.1")
        server.redirect("/moved", f"{inner.base}/admin")
        server.json("/courses", page(f"{inner.base}/admin", [COURSE]))
        server.json("/href", page({"href": f"{inner.base}/admin"}, [COURSE]))
        server.redirect("/local", f"http://localhost:{inner.port}/admin")
        for path in ("/moved", "/courses", "/href"):
            with pytest.raises(ServiceError, match="not allowed"):
                service.import_url(f"{server.base}{path}", platform="iMooX", policy=policy)
        assert inner.requests == []
    finally:
        inner.close()


def test_failures_are_not_told_apart_and_never_echo_the_body(
    service: KnowledgeService, server: Server
) -> None:
    def silent(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(3)

    def html(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.end_headers()
        handler.wfile.write(b"<html>SECRET admin console</html>")

    def error(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(500)
        handler.end_headers()
        handler.wfile.write(b"SECRET stack trace")

    server.routes.update({"/slow": silent, "/html": html, "/error": error})
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    closed_port = closed.getsockname()[1]
    closed.close()  # nothing listens there: connection refused
    policy = FetchPolicy(allow_http=True, address_allowed=lambda ip: str(ip) == "127.0.0.1", page_timeout=1)
    messages = set()
    for url in (
        f"{server.base}/missing",
        f"{server.base}/error",
        f"{server.base}/slow",
        f"http://127.0.0.1:{closed_port}/x",
    ):
        with pytest.raises(ServiceError) as caught:
            service.import_url(url, platform="iMooX", policy=policy, deadline=5)
        text = str(caught.value)
        assert "SECRET" not in text
        messages.add((caught.value.code, text.replace(url, "URL")))
    assert len(messages) == 1, messages
    with pytest.raises(ServiceError) as caught:
        service.import_url(f"{server.base}/html", platform="iMooX", policy=policy)
    assert "SECRET" not in str(caught.value) and caught.value.code == "import_not_a_list"


def test_one_deadline_covers_a_trickling_page(service: KnowledgeService, server: Server) -> None:
    def trickle(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.end_headers()
        try:
            for _ in range(200):
                handler.wfile.write(b" ")
                handler.wfile.flush()
                time.sleep(0.05)
        except OSError:
            pass

    server.routes["/trickle"] = trickle
    started = time.monotonic()
    with pytest.raises(ServiceError, match="within 1 s"):
        service.import_url(f"{server.base}/trickle", platform="iMooX", policy=only("127.0.0.1"), deadline=1)
    assert time.monotonic() - started < 3


def test_size_caps_per_page_and_over_all_pages(service: KnowledgeService, server: Server) -> None:
    server.json("/big", page(items=[COURSE] * 200))
    server.json("/p1", page("/p2", [COURSE]))
    server.json("/p2", page(None, [{**COURSE, "id": "c2"}]))
    policy = only("127.0.0.1")
    with pytest.raises(ServiceError, match="over the limit"):
        service.import_url(f"{server.base}/big", platform="iMooX", policy=policy, max_bytes=1000)
    size = len(json.dumps(page("/p2", [COURSE])))
    with pytest.raises(ServiceError, match="over the limit"):
        service.import_url(f"{server.base}/p1", platform="iMooX", policy=policy, max_total_bytes=size + 10)


def test_the_fetch_needs_no_database_lock(service: KnowledgeService, server: Server, db_path: Path) -> None:
    server.json("/courses", page(items=[COURSE]))
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another writer holds the write lock during the whole fetch
    started = time.monotonic()
    fetched = service.fetch_url(f"{server.base}/courses", policy=only("127.0.0.1"))
    assert time.monotonic() - started < 2 and len(fetched.pages) == 1
    other.execute("ROLLBACK")
    other.close()
    report = service.import_fetched(fetched, platform="iMooX")
    assert report.applied and report.added


def test_cli_import_of_a_local_url_is_refused(server: Server, tmp_path: Path) -> None:
    server.json("/courses", page(items=[COURSE]))
    db = tmp_path / "cli.sqlite3"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "kb", "import", f"{server.base}/courses", "--platform", "iMooX",
         "--db", str(db)],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 1 and "not allowed" in result.stderr and "Traceback" not in result.stderr
    assert server.requests == []
