"""One hostile phone against the real server on 127.0.0.1: sizes, per-address cap, deadline.

A second client comes from 127.0.0.2 (any 127.x address reaches the loopback on Linux),
so "another phone" is a different address, as on the hotspot.
"""

from __future__ import annotations

import http.client
import socket
import time
from contextlib import ExitStack

import pytest

from kiosk.web.server import Limits, create_server
from tests.conftest import LiveServer, free_port

OTHER_PHONE = "127.0.0.2"


@pytest.fixture
def server_for(app, config):
    """Start the kiosk's server with some limits; yields a function that returns its port."""
    started = []

    def start(limits: Limits | None = None) -> int:
        port = free_port()
        server = LiveServer(app, create_server(app, config.replace(port=port), limits=limits))
        started.append(server)
        return port

    yield start
    for server in started:
        server.stop()


def connect(port: int, source: str = "127.0.0.1", timeout: float = 5) -> socket.socket:
    sock = socket.create_connection(
        ("127.0.0.1", port), timeout=timeout, source_address=(source, 0)
    )
    return sock


def read_all(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes (a reset counts as closed)."""
    chunks = []
    try:
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    except ConnectionResetError:
        pass
    return b"".join(chunks)


def page(port: int, source: str = OTHER_PHONE) -> bytes:
    with connect(port, source) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        return read_all(sock)


def closed_by_server(sock: socket.socket) -> bool:
    """True if the server closed ``sock`` (read returns EOF or reset within its timeout)."""
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def test_a_huge_body_is_refused_before_it_is_read(server_for):
    port = server_for()
    with connect(port) as sock:
        sock.sendall(
            b"POST /cetak/kia HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 1000000000\r\n\r\n" + b"x" * 1000
        )
        reply = read_all(sock)
    assert reply.startswith(b"HTTP/1.1 413 Request Entity Too Large\r\n")
    assert b"Content-Type: text/plain" in reply


def test_a_chunked_body_is_cut_at_the_limit(server_for):
    port = server_for(Limits(body_bytes=4096))
    chunk = b"1000\r\n" + b"x" * 4096 + b"\r\n"
    with connect(port) as sock:
        sock.sendall(
            b"POST /cetak/kia HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
            + chunk * 2
        )
        assert read_all(sock).startswith(b"HTTP/1.1 413 ")


def test_headers_over_8_kb_are_refused(server_for):
    port = server_for()
    with connect(port) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Junk: " + b"a" * 9000 + b"\r\n\r\n")
        reply = read_all(sock)
    assert b" 431 Request Header Fields Too Large" in reply.split(b"\r\n", 1)[0]
    assert b"<html" not in reply.lower()  # waitress's plain error, never a page


def test_one_address_gets_its_cap_of_connections_and_no_more(server_for):
    port = server_for(Limits(per_client=4, request_seconds=30))
    with ExitStack() as stack:
        held = [stack.enter_context(connect(port, timeout=1)) for _ in range(4)]
        time.sleep(0.3)  # let the server accept them all
        extra = stack.enter_context(connect(port, timeout=5))
        assert closed_by_server(extra)
        assert not any(closed_by_server(sock) for sock in held)
        assert page(port).startswith(b"HTTP/1.1 200 OK")  # another phone is served
    # Once closed, the address may connect again.
    time.sleep(0.3)
    assert page(port, "127.0.0.1").startswith(b"HTTP/1.1 200 OK")


def test_a_request_dripped_slowly_is_cut_at_the_deadline(server_for):
    port = server_for(Limits(request_seconds=1))
    with connect(port, timeout=10) as dripping, connect(port, timeout=10) as silent:
        dripping.sendall(b"GET / HTTP/1.1\r\n")
        dripping.settimeout(0.2)
        deadline = time.monotonic() + 8
        closed = False
        while not closed and time.monotonic() < deadline:
            try:
                dripping.sendall(b"X")
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
            closed = closed_by_server(dripping)
        assert closed, "a dripping request must be cut"
        silent.settimeout(8)
        assert closed_by_server(silent), "a connection that never asks must be cut"


def test_keep_alive_between_requests_is_not_cut_by_the_deadline(server_for):
    port = server_for(Limits(request_seconds=1))
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", "/tentang")
        first = conn.getresponse()
        first.read()
        time.sleep(2.5)  # idle between requests: channel_timeout (30 s) applies
        conn.request("GET", "/tentang")
        second = conn.getresponse()
        second.read()
    finally:
        conn.close()
    assert (first.status, second.status) == (200, 200)
    assert not first.will_close


def test_250_slow_connections_from_one_phone_leave_room_for_another(server_for):
    port = server_for()
    with ExitStack() as stack:
        for _ in range(250):
            try:
                sock = stack.enter_context(connect(port, timeout=5))
                sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            except OSError:
                pass  # refused or reset: that is the point
        assert page(port).startswith(b"HTTP/1.1 200 OK")


def test_search_with_the_longest_query_that_fits_is_answered(server_for):
    port = server_for()
    query = ("surat+keterangan+kelahiran+" * 300)[:7000]
    with connect(port) as sock:
        sock.sendall(f"GET /cari?q={query} HTTP/1.1\r\nHost: 127.0.0.1\r\n".encode())
        sock.sendall(b"Connection: close\r\n\r\n")
        reply = read_all(sock)
    assert reply.startswith(b"HTTP/1.1 200 OK")
    assert b"surat keterangan kelahiran surat" in reply
    assert b"kelahiran " * 20 not in reply  # the page shows the cut query only


def test_a_256_kb_search_never_reaches_the_search(server_for):
    port = server_for()
    with connect(port) as sock:
        try:
            sock.sendall(b"GET /cari?q=" + b"kelahiranx+" * 24_000 + b" HTTP/1.1\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may stop reading once it has said no
        reply = read_all(sock)
    assert b" 431 " in reply.split(b"\r\n", 1)[0]
