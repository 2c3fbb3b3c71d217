"""The README's first command: `scripts/demo` gives a kiosk where a resident can fill the
survey and send a complaint (it makes a demo hub of its own and syncs from it, the real
way), and `scripts/demo-carry` takes the sealed answers to that hub."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess

import pytest

from ..conftest import REPO, free_port, wait_for
from ..web.phone import Phone

pytestmark = pytest.mark.slow


def script(name: str, demo, *args: str, **kwargs):
    env = {**os.environ, "PELITA_DEMO": str(demo)}
    env.pop("KIOSK_CONFIG", None)
    return subprocess.Popen([str(REPO / "scripts" / name), *args], env=env, cwd=REPO, **kwargs)


def reachable(phone: Phone) -> bool:
    try:
        return phone.get("/").status == 200
    except OSError:
        return False


def test_the_demo_takes_a_survey_and_a_complaint_and_carries_them_to_its_hub(tmp_path):
    demo = tmp_path / "demo"
    port = free_port()
    log = (tmp_path / "demo.log").open("wb")
    kiosk = script("demo", demo, "--port", str(port), stdout=log, stderr=subprocess.STDOUT)
    try:
        phone = Phone(f"http://127.0.0.1:{port}")
        up = wait_for(lambda: reachable(phone) or kiosk.poll() is not None, seconds=180)
        assert up and kiosk.poll() is None, (tmp_path / "demo.log").read_text()
        fields = phone.form("/survei", "/survei") | {k: "3" for k in ("persyaratan", "prosedur")}
        fields |= {k: "4" for k in ("waktu", "biaya", "produk", "kompetensi", "perilaku")}
        fields |= {"sarana_prasarana": "2", "pengaduan": "3", "kapan": "hari-ini"}
        assert "Terima kasih" in phone.post("/survei", fields).html
        fields = phone.form("/pengaduan", "/pengaduan")
        fields |= {"kategori": "kios_rusak", "isi": "Tombol cetak kios tidak berfungsi."}
        sent = phone.post("/pengaduan", fields)
        assert "Pengaduan Anda sudah tercatat" in sent.html, sent.html
    finally:
        kiosk.send_signal(signal.SIGTERM)
        kiosk.wait(30)
        log.close()
    carry = script("demo-carry", demo, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out, _ = carry.communicate(timeout=120)
    assert carry.returncode == 0, out.decode()
    with sqlite3.connect(demo / "hub" / "hub.sqlite3") as conn:
        assert conn.execute("SELECT COUNT(*) FROM surveys").fetchone() == (1,)
        [(ticket,)] = conn.execute("SELECT ticket FROM complaints").fetchall()
    assert sent.url.rsplit("/", 1)[1].split("?")[0] == ticket
    assert (demo / "console-login.txt").read_text().startswith("user petugas  password ")
