""" "Cetak di balai desa": a plain form POST over real HTTP puts a job in the spool."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta

import html5lib
import pytest

from kiosk.printer.backends import DummyBackend
from kiosk.printer.spool import SPOOL_LIMIT, Job, Spool
from kiosk.printer.worker import PrintWorker
from kiosk.status import status_dir, write_status
from tests.escpos_decode import decode


def post(url):
    request = urllib.request.Request(
        url, data=b"", method="POST", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read().decode("utf-8")


@pytest.fixture
def printer_ready(config):
    write_status(config, "printer", "Printer ready", True, state="ready")


@pytest.fixture
def spool(config):
    return Spool(config.state_path / "spool")


def test_service_page_has_a_plain_form(client, bundled_catalog):
    for service in bundled_catalog.services:
        html = client.get(f"/layanan/{service.id}").get_data(as_text=True)
        doc = html5lib.parse(html, namespaceHTMLElements=False)
        [form] = doc.findall(".//form[@class='print']")
        assert form.get("method") == "post" and form.get("action") == f"/cetak/{service.id}"
        assert form.find("button").text == "Cetak di balai desa"
        assert "<script" not in html


def test_post_takes_the_job(live_server, printer_ready, spool):
    status, html = post(f"{live_server.url}/cetak/kia")
    assert status == 200
    assert "<h1>Slip sedang dicetak</h1>" in html
    assert "Ambil slip <strong>Kartu Identitas Anak (KIA)</strong> di printer balai desa." in html
    [path] = spool.pending()
    job = spool.load(path)
    assert (job.kind, job.service, job.source) == ("service", "kia", "web")


def test_second_post_within_a_minute_is_refused(live_server, printer_ready, spool):
    assert post(f"{live_server.url}/cetak/kia")[0] == 200
    status, html = post(f"{live_server.url}/cetak/sktm")
    assert status == 429
    assert "Slip dari HP ini baru saja dicetak. Coba lagi satu menit lagi." in html
    assert len(spool.pending()) == 1


def test_printer_off_is_said_plainly(live_server, spool):
    status, html = post(f"{live_server.url}/cetak/kia")  # no printer daemon ever ran
    assert status == 503
    assert "<h1>Printer sedang tidak bisa dipakai</h1>" in html
    assert spool.pending() == []


def test_printer_missing_per_status_file(live_server, config, spool):
    write_status(config, "printer", "Printer not reachable", False, state="missing")
    assert post(f"{live_server.url}/cetak/kia")[0] == 503
    assert spool.pending() == []


def test_stale_status_means_the_daemon_is_gone(live_server, config, spool):
    write_status(config, "printer", "Printer ready", True, state="ready")
    path = status_dir(config) / "printer.json"
    data = json.loads(path.read_text())
    data["updated"] = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    path.write_text(json.dumps(data))
    assert post(f"{live_server.url}/cetak/kia")[0] == 503


def test_full_spool_is_refused(live_server, printer_ready, spool):
    for _ in range(SPOOL_LIMIT):
        spool.add(Job(kind="index", source="button:17"))
    status, html = post(f"{live_server.url}/cetak/kia")
    assert status == 503 and "Printer sedang sibuk" in html


def test_unknown_service(live_server, printer_ready):
    status, html = post(f"{live_server.url}/cetak/tidak-ada")
    assert status == 404 and "<h1>Layanan tidak ada</h1>" in html


def test_get_is_not_a_print(client, printer_ready, spool):
    assert client.get("/cetak/kia").status_code == 404
    assert spool.pending() == []


def test_web_job_is_printed_by_the_worker(
    live_server, config, printer_ready, spool, bundled_catalog
):
    assert post(f"{live_server.url}/cetak/akta-kematian")[0] == 200
    printer = DummyBackend()
    worker = PrintWorker(config, printer, lambda: bundled_catalog, spool)
    assert worker.step(wait=0)
    decoded = decode(printer.jobs[0])
    assert decoded.lines[1].text == "Akta Kematian"
    assert decoded.qr_payloads() == ["http://127.0.0.1:8080/layanan/akta-kematian"]
