"""End to end with the real commands: a resident answers on a kiosk (survey, "sesuai?",
complaint), `kiosk sync` delivers, the hub's database holds each exactly once; the
kecamatan publishes the complaint's answer and the kiosk shows it after the next sync."""

from __future__ import annotations

import signal
import sqlite3
from datetime import date

import pytest

from kiosk.hub.repo import Hub
from kiosk.hub.statuses import TicketStatus, enable_statuses, publish_statuses
from kiosk.voice import skm

from ..conftest import CATALOG_DIR, free_port
from ..web.phone import Phone
from .live import kiosk, start

pytest.importorskip("kiosk.reports.push", reason="needs issue 13's report channel")
pytestmark = pytest.mark.slow


def rows(hub_dir, sql: str) -> list[tuple]:
    with sqlite3.connect(hub_dir / "hub.sqlite3") as conn:
        return conn.execute(sql).fetchall()


def answer_on_the_kiosk(phone: Phone) -> str:
    fields = phone.form("/survei", "/survei")
    survey = {key: "3" for key in skm.ELEMENTS} | {"kapan": "minggu-ini", "layanan": "kia"}
    assert phone.post("/survei", {**fields, **survey}).status == 200
    fields = phone.form("/layanan/kia", "/layanan/kia/sesuai")
    feedback = {**fields, "jawaban": "kurang", "catatan": "Diminta fotokopi KK dua."}
    assert phone.post("/layanan/kia/sesuai", feedback).status == 200
    fields = phone.form("/pengaduan", "/pengaduan")
    complaint = {**fields, "kategori": "dukcapil", "isi": "Antrean KTP-el tiga jam."}
    answer = phone.post("/pengaduan", complaint)
    assert answer.status == 200
    return answer.url.rsplit("/", 1)[1].split("?")[0]


def test_answers_reach_the_hub_once_and_the_answer_comes_back(tmp_path):
    hub_dir = tmp_path / "hub"
    kiosk("hub", "init", str(hub_dir))
    kiosk("hub", "publish", str(CATALOG_DIR), "--hub", str(hub_dir))
    hub_port, site_port = free_port(), free_port()
    hub = start(
        "hub",
        "serve",
        "--hub",
        str(hub_dir),
        "--port",
        str(hub_port),
        url=f"http://127.0.0.1:{hub_port}/api/status",
    )
    try:
        conf = tmp_path / "kemlagi.toml"
        conf.write_text(
            f'village = "kemlagi"\nstate_dir = "{tmp_path / "kiosk"}"\nport = {site_port}\n'
            f'hub_url = "http://127.0.0.1:{hub_port}/public/"\n'
            f'trust_root = "{hub_dir / "public" / "metadata" / "1.root.json"}"\n'
            f'report_url = "http://127.0.0.1:{hub_port}/api/reports"\n',
            encoding="utf-8",
        )
        out = kiosk("hub", "enroll", "kemlagi", "--hub", str(hub_dir))
        code = next(x for x in out.splitlines() if x.startswith("Enrollment code")).split()[-1]
        kiosk("enroll", code, "--config", str(conf))
        kiosk("sync", "--config", str(conf))  # the catalog and the hub's report key
        site = start("serve", "--config", str(conf), url=f"http://127.0.0.1:{site_port}/")
        try:
            ticket = answer_on_the_kiosk(Phone(f"http://127.0.0.1:{site_port}"))
        finally:
            site.send_signal(signal.SIGTERM)
            site.wait(15)
        assert "Reports delivered" in kiosk("sync", "--config", str(conf))
        kiosk("sync", "--config", str(conf))  # again: nothing is stored twice
        assert rows(hub_dir, "SELECT COUNT(*) FROM surveys") == [(1,)]
        assert rows(hub_dir, "SELECT COUNT(*) FROM feedback") == [(1,)]
        assert rows(hub_dir, "SELECT ticket FROM complaints") == [(ticket,)]

        repo = Hub(hub_dir)
        enable_statuses(repo)
        publish_statuses(repo, [TicketStatus(ticket, "selesai", date(2026, 12, 2), "Sudah.")])
        assert "Complaint statuses updated (1 tickets)" in kiosk("sync", "--config", str(conf))
        site = start("serve", "--config", str(conf), url=f"http://127.0.0.1:{site_port}/")
        try:
            page = Phone(f"http://127.0.0.1:{site_port}").get(f"/pengaduan/{ticket}")
        finally:
            site.send_signal(signal.SIGTERM)
            site.wait(15)
        assert "Jawaban kecamatan" in page.html and "Sudah." in page.html
    finally:
        hub.terminate()
        hub.wait(10)
