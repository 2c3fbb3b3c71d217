"""How pages reach the socket: the tuned waitress server and the front door's search."""

from __future__ import annotations

import gzip
import logging
import threading
import urllib.request

import pytest

from kiosk.web.front import FrontDoor, search_query
from kiosk.web.portal import Portal
from kiosk.web.server import create_server
from kiosk.web.source import SiteSource
from tests.conftest import free_port


@pytest.fixture
def kiosk_server(app, config):
    config = config.replace(port=free_port())
    server = create_server(app, config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{config.port}"
    finally:
        server.close()
        thread.join(5)


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
    [("q=ktp+hilang", "ktp hilang"), ("x=1&q=a&q=b", "a"), ("", ""), ("q=", ""),
     ("q=%ff", "\ufffd"), ("q=akta%20lahir", "akta lahir")],
)
def test_search_query_is_the_first_q(query_string, query):
    assert search_query(query_string) == query


def test_search_is_answered_without_flask(config):
    def flask_must_not_run(environ, start_response):
        raise AssertionError(f"{environ['PATH_INFO']} reached Flask")

    source = SiteSource(config)
    door = FrontDoor(flask_must_not_run, source, Portal(["127.0.0.1"], config.portal_url, 60))
    answered = []
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/cari", "QUERY_STRING": "q=kia",
               "HTTP_HOST": "127.0.0.1:8080", "REMOTE_ADDR": "127.0.0.1"}
    body = b"".join(door(environ, lambda status, headers: answered.append(status)))
    assert answered == ["200 OK"]
    assert body == source.get().search_page("kia").body
