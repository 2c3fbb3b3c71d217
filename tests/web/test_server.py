"""How pages reach the socket: the tuned waitress server and the front door's search."""

from __future__ import annotations

import gzip
import logging
import urllib.error
import urllib.request

import pytest

from kiosk.web.front import FrontDoor, search_query
from kiosk.web.portal import Portal
from kiosk.web.server import create_server
from kiosk.web.source import SiteSource
from tests.conftest import LiveServer, free_port


@pytest.fixture
def inline_server(app, config):
    """The tuned server: its URL, and its dispatcher (to count inline answers)."""
    config = config.replace(port=free_port())
    live = LiveServer(app, create_server(app, config))
    try:
        yield live.url, live.server.task_dispatcher
    finally:
        live.stop()


@pytest.fixture
def kiosk_server(inline_server):
    return inline_server[0]


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


def test_pages_from_memory_are_served_in_the_socket_thread(inline_server, app):
    url, dispatcher = inline_server
    app.extensions["kiosk.source"].get()  # the first look at the store is done
    before = dispatcher.inline_count
    for path in ("/", "/layanan/sktm", "/tentang"):
        assert get(url + path)[0] == 200
    assert dispatcher.inline_count - before >= 2  # a look at the store may take one


def test_work_that_may_block_goes_to_a_worker(inline_server, app):
    url, dispatcher = inline_server
    source = app.extensions["kiosk.source"]
    source.get()
    before = dispatcher.inline_count
    # A search not rendered yet, a missing page (Flask), a form post: never inline.
    assert get(url + "/cari?q=surat+pindah+baru")[0] == 200
    with pytest.raises(urllib.error.HTTPError) as missing:
        get(url + "/tidak-ada")
    missing.value.close()
    assert missing.value.code == 404
    post = urllib.request.Request(url + "/", data=b"x", method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(post, timeout=5)
    refused.value.close()
    assert dispatcher.inline_count == before
    # Once rendered, the same search is answered from memory.
    assert get(url + "/cari?q=surat+pindah+baru")[0] == 200
    assert dispatcher.inline_count in (before + 1, before)  # unless the store check fell due


def test_answers_from_memory_rules(app, config):
    front = app.wsgi_app
    front.source.get()
    assert front.answers_from_memory("GET", "/layanan/kia", "", "127.0.0.1:8080")
    assert front.answers_from_memory("HEAD", "/", "", None)
    assert front.answers_from_memory("GET", "/generate_204", "", "connectivitycheck.gstatic.com")
    assert not front.answers_from_memory("POST", "/cetak/kia", "", "127.0.0.1:8080")
    assert not front.answers_from_memory("GET", "/404", "", "127.0.0.1:8080")
    assert not front.answers_from_memory("GET", "/cari", "q=belum+pernah", "127.0.0.1")
    front.source._checked_at = float("-inf")  # the look at the store is due
    assert not front.answers_from_memory("GET", "/", "", "127.0.0.1")


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


@pytest.fixture
def fast_server(inline_server, app):
    """The server with the store check pushed far away, so answers come from memory."""
    import time

    url, dispatcher = inline_server
    source = app.extensions["kiosk.source"]
    source.get()
    source._checked_at = time.monotonic() + 3600
    return url, dispatcher


def test_fast_path_http11_keep_alive_and_pipelining(fast_server, app):
    url, dispatcher = fast_server
    before = dispatcher.inline_count
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
    assert dispatcher.inline_count - before >= 1


def test_fast_path_http10_closes_unless_keep_alive(fast_server):
    url, _ = fast_server
    closed = raw_exchange(url, b"GET / HTTP/1.0\r\n\r\n")
    assert closed.startswith(b"HTTP/1.0 200 OK\r\n") and not closed.endswith(b"<open>")
    kept = raw_exchange(url, b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
    assert b"Connection: Keep-Alive\r\n" in kept and kept.endswith(b"<open>")


def test_fast_path_revalidation_and_portal(fast_server, app):
    url, _ = fast_server
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


def test_fast_path_head_for_a_foreign_host_has_no_body(fast_server):
    url, dispatcher = fast_server
    before = dispatcher.inline_count
    request = b"HEAD /berita HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n"
    reply = raw_exchange(url, request)
    assert reply.startswith(b"HTTP/1.1 302 Found\r\n")
    assert reply.endswith(b"\r\n\r\n"), "HEAD has no body"
    assert dispatcher.inline_count - before == 1
