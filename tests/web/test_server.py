"""How pages reach the socket: waitress with the kiosk's limits, and the front door."""

from __future__ import annotations

import gzip
import logging
import urllib.error
import urllib.request

import pytest

from kiosk.web.front import FrontDoor, search_query
from kiosk.web.portal import Portal
from kiosk.web.server import Limits, create_server
from kiosk.web.source import SiteSource
from tests.conftest import LiveServer, free_port


@pytest.fixture
def server_for(app, config):
    """Start the kiosk's server with some limits; yields a function that returns its URL."""
    started = []

    def start(limits: Limits | None = None) -> str:
        port = free_port()
        server = LiveServer(app, create_server(app, config.replace(port=port), limits=limits))
        started.append(server)
        return server.url

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def kiosk_server(server_for):
    return server_for()


def get(url: str):
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status, response.headers, gzip.decompress(response.read())


def test_served_pages_arrive_whole_and_gzipped(kiosk_server, app):
    site = app.extensions["kiosk.source"].get()
    for path in ("/", "/layanan/kia"):
        status, headers, body = get(kiosk_server + path)
        assert (status, headers["Content-Encoding"]) == (200, "gzip")
        assert body == site.pages[path].body
    status, _, body = get(kiosk_server + "/cari?q=ktp+hilang")
    assert status == 200 and body == site.search_page("ktp hilang").body


def test_busy_queue_is_not_logged_per_request(kiosk_server):
    assert not logging.getLogger("waitress.queue").isEnabledFor(logging.WARNING)


@pytest.mark.parametrize(
    "query_string, query",
    [
        ("q=ktp+hilang", "ktp hilang"),
        ("x=1&q=a&q=b", "a"),
        ("", ""),
        ("q=", ""),
        ("q=%ff", "\ufffd"),
        ("q=akta%20lahir", "akta lahir"),
    ],
)
def test_search_query_is_the_first_q(query_string, query):
    assert search_query(query_string) == query


def test_search_is_answered_without_flask(config):
    def flask_must_not_run(environ, start_response):
        raise AssertionError(f"{environ['PATH_INFO']} reached Flask")

    source = SiteSource(config)
    door = FrontDoor(flask_must_not_run, source, Portal(["127.0.0.1"], config.portal_url, 60))
    answered = []
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/cari",
        "QUERY_STRING": "q=kia",
        "HTTP_HOST": "127.0.0.1:8080",
        "REMOTE_ADDR": "127.0.0.1",
    }
    body = b"".join(door(environ, lambda status, headers: answered.append(status)))
    assert answered == ["200 OK"]
    assert body == source.get().search_page("kia").body


def raw_exchange(url: str, request: bytes) -> bytes:
    """Send raw bytes, read until the server closes or 1 s of silence."""
    import socket

    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(request)
        sock.settimeout(1.0)
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except TimeoutError:
            chunks.append(b"<open>")
    return b"".join(chunks)


def test_http11_keep_alive_and_pipelining(kiosk_server, app):
    url = kiosk_server
    one = b"GET /layanan/kia HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: gzip\r\n\r\n"
    last = b"HEAD / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    reply = raw_exchange(url, one + one + last)
    assert reply.count(b"HTTP/1.1 200 OK\r\n") == 3
    assert not reply.endswith(b"<open>"), "Connection: close must close"
    page = app.extensions["kiosk.source"].site.pages["/layanan/kia"]
    assert reply.count(page.gzipped) == 2
    head = reply[reply.rindex(b"HTTP/1.1 200 OK") :]
    assert f"Content-Length: {len(page.body)}".encode() not in head  # HEAD of "/" not kia
    assert head.endswith(b"\r\n\r\n"), "HEAD has no body"


def test_http10_closes_unless_keep_alive(kiosk_server):
    url = kiosk_server
    closed = raw_exchange(url, b"GET / HTTP/1.0\r\n\r\n")
    assert closed.startswith(b"HTTP/1.0 200 OK\r\n") and not closed.endswith(b"<open>")
    kept = raw_exchange(url, b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
    assert b"Connection: Keep-Alive\r\n" in kept and kept.endswith(b"<open>")


def test_revalidation_and_portal(kiosk_server, app):
    url = kiosk_server
    page = app.extensions["kiosk.source"].site.pages["/tentang"]
    reply = raw_exchange(
        url,
        b"GET /generate_204 HTTP/1.1\r\nHost: connectivitycheck.gstatic.com\r\n"
        b"Connection: close\r\n\r\n",
    )
    assert reply.startswith(b"HTTP/1.1 302 Found\r\n")
    assert b"Location: http://127.0.0.1:8080/\r\n" in reply
    reply = raw_exchange(
        url,
        f"GET /tentang HTTP/1.1\r\nHost: 127.0.0.1\r\nIf-None-Match: {page.etag}\r\n"
        "Connection: close\r\n\r\n".encode(),
    )
    assert reply.startswith(b"HTTP/1.1 304 Not Modified\r\n")
    assert reply.endswith(b"\r\n\r\n")


def test_the_same_release_is_rendered_once(config):
    """The store is looked at every second; an unchanged release keeps its Site (a
    re-render a second costs seconds of CPU a second at 400 services)."""
    now = [0.0]
    source = SiteSource(config, clock=lambda: now[0])
    first = source.get()
    for _ in range(5):
        now[0] += 2.0
        assert source.get() is first


def test_head_for_a_foreign_host_has_no_body(kiosk_server):
    request = b"HEAD /berita HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n"
    reply = raw_exchange(kiosk_server, request)
    assert reply.startswith(b"HTTP/1.1 302 Found\r\n")
    assert reply.endswith(b"\r\n\r\n"), "HEAD has no body"
