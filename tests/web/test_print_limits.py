"""The print form against a hostile page and a crowd: same origin, a budget per hour
for all phones together; and gzip only when asked, "Selesai" that forgets the oldest."""

from __future__ import annotations

import gzip
import http.client

import pytest

from kiosk.printer.spool import Spool
from kiosk.status import write_status
from kiosk.web import create_app
from kiosk.web.portal import Portal
from kiosk.web.responses import accepts_gzip
from tests.conftest import LiveServer


@pytest.fixture
def printer_ready(config):
    write_status(config, "printer", "Printer ready", True, state="ready")


def post(server: LiveServer, path: str, source: str = "127.0.0.1", **headers: str):
    conn = http.client.HTTPConnection(
        "127.0.0.1", server.port, timeout=5, source_address=(source, 0)
    )
    try:
        conn.request("POST", path, body=b"", headers=headers)
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8")
    finally:
        conn.close()


@pytest.fixture
def crowd_server(config):
    """Phones may print every minute, but the hall allows 3 slips an hour."""
    app = create_app(config.replace(web_print_per_minute=60, web_print_per_hour=3))
    server = LiveServer(app)
    yield server
    server.stop()


def test_a_form_posted_from_another_site_prints_nothing(live_server, printer_ready, config):
    status, html = post(live_server, "/cetak/kia", Origin="http://jahil.example")
    assert status == 403
    assert "tidak datang dari halaman kios" in html
    status, _ = post(live_server, "/cetak/kia", Referer="http://jahil.example/x.html")
    assert status == 403
    assert Spool(config.state_path / "spool").pending() == []


def test_a_form_from_the_kiosk_itself_prints(live_server, printer_ready, config):
    status, _ = post(live_server, "/cetak/kia", Origin="http://127.0.0.1:8080")
    assert status == 200
    assert len(Spool(config.state_path / "spool").pending()) == 1


def test_many_phones_share_one_budget_per_hour(crowd_server, printer_ready, config):
    answers = [post(crowd_server, "/cetak/kia", source=f"127.0.0.{i}") for i in range(2, 7)]
    assert [status for status, _ in answers] == [200, 200, 200, 429, 429]
    assert "dalam satu jam ini" in answers[-1][1]
    assert len(Spool(config.state_path / "spool").pending()) == 3


@pytest.mark.parametrize(
    "header, gzipped",
    [
        ("gzip", True),
        ("gzip, deflate, br", True),
        ("gzip;q=0", False),
        ("deflate, gzip;q=0.0", False),
        ("*", True),
        ("*;q=0", False),
        ("identity", False),
        ("gzip;q=0.5, identity", True),
        ("gzip;q=bad", False),
        ("", False),
    ],
)
def test_gzip_only_when_the_client_takes_it(header, gzipped):
    assert accepts_gzip(header) is gzipped


def test_gzip_q0_gets_the_plain_page_over_http(live_server, app):
    conn = http.client.HTTPConnection("127.0.0.1", live_server.port, timeout=5)
    conn.request("GET", "/tentang", headers={"Accept-Encoding": "gzip;q=0"})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    page = app.extensions["kiosk.source"].get().pages["/tentang"]
    assert response.getheader("Content-Encoding") is None and body == page.body
    assert gzip.decompress(page.gzipped) == body


def test_selesai_forgets_the_oldest_phone_when_full():
    portal = Portal(["kiosk"], "http://kiosk/", success_minutes=60, clock=lambda: 100.0)
    portal.MAX_CLIENTS = 3
    for client in ("a", "b", "c", "a", "d"):
        portal.mark_done(client)
    assert [c for c in "abcd" if portal.is_done(c)] == ["a", "c", "d"]  # "a" came back
