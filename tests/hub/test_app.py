"""The hub app: made from a hub folder, migrated, served by waitress for real."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request

from kiosk.hub import db

from ..conftest import free_port


def test_app_migrates_its_database_and_reports_the_schema(make_hub_app):
    app = make_hub_app()
    answer = app.test_client().get("/api/status")
    assert answer.status_code == 200
    assert answer.get_json() == {"ok": True, "schema": db.head_revision()}


def test_secret_key_is_made_once_and_kept_private(tmp_path, make_hub_app):
    first = make_hub_app(tmp_path).config["SECRET_KEY"]
    second = make_hub_app(tmp_path).config["SECRET_KEY"]
    assert first == second and len(first) == 64
    assert oct((tmp_path / "keys" / "console-secret").stat().st_mode & 0o777) == "0o600"


def test_kiosk_hub_serve_runs_under_waitress_on_sqlite_by_default(tmp_path):
    port = free_port()
    command = [sys.executable, "-m", "kiosk", "hub", "serve", "--hub", str(tmp_path)]
    proc = subprocess.Popen(
        [*command, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONWARNINGS": "error"},
    )
    try:
        body = _get_when_up(f"http://127.0.0.1:{port}/api/status", proc)
        assert b'"ok":true' in body.replace(b" ", b"")
        assert (tmp_path / db.DB_FILE).is_file()
    finally:
        proc.terminate()
        proc.wait(10)
        proc.stdout.close()


def _get_when_up(url: str, proc: subprocess.Popen) -> bytes:
    for _ in range(300):
        if proc.poll() is not None:
            raise AssertionError(proc.stdout.read().decode())
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                return answer.read()
        except OSError:
            time.sleep(0.1)
    raise AssertionError("hub serve did not answer within 30 s")
