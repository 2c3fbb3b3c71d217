"""Residents' records survive kill -9 and a restart; a clean stop flushes the counts."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from kiosk.outbox import Outbox, unpack
from kiosk.voice import skm
from tests.reports.keys import new_hub_keys

from ..conftest import REPO, free_port
from .phone import Phone

pytestmark = pytest.mark.slow


def start(state, port):
    env = {**os.environ, "KIOSK_STATE_DIR": str(state), "KIOSK_PORT": str(port)}
    env.pop("KIOSK_CONFIG", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "serve", "--config", "/dev/null"],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1).close()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError("kiosk serve did not start")


def test_records_survive_kill_9_and_a_restart(tmp_path):
    state = tmp_path / "state"
    new_hub_keys().give_to(state)
    port = free_port()
    proc = start(state, port)
    phone = Phone(f"http://127.0.0.1:{port}")
    try:
        fields = phone.form("/survei", "/survei")
        survey = {key: "4" for key in skm.ELEMENTS} | {"kapan": "hari-ini"}
        assert phone.post("/survei", {**fields, **survey}).status == 200
        fields = phone.form("/layanan/kia", "/layanan/kia/sesuai")
        assert phone.post("/layanan/kia/sesuai", {**fields, "jawaban": "sesuai"}).status == 200
        fields = phone.form("/pengaduan", "/pengaduan")
        complaint = {**fields, "kategori": "lainnya", "isi": "Lampu balai desa mati."}
        assert phone.post("/pengaduan", complaint).status == 200
        assert phone.get("/layanan/skck").status == 200  # counted in memory only
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    kinds = [r.kind for r in Outbox(state).pending()]
    assert sorted(kinds) == ["complaint", "feedback", "survey"]  # no counts: the hour was lost
    proc = start(state, port)
    try:
        assert phone.get("/layanan/skck").status == 200
        assert [r.kind for r in Outbox(state).pending()] == kinds  # nothing lost or doubled
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(15) == 0
    counts = [r for r in Outbox(state).pending() if r.kind == "counts"]
    assert len(counts) == 1  # a clean stop flushes the current hour
    assert unpack(counts[0].body)["services"] == {"skck": {"view": 1}}
