"""Issue 13's acceptance, with the real commands on a fresh hub folder: hub init, enroll
a kiosk, kiosk sync → the hub's database holds its health record; the same by stick
and 'kiosk hub import'."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.request

from ..conftest import CATALOG_DIR, free_port


def kiosk(*args: str, check: bool = True) -> str:
    env = {**os.environ, "PYTHONWARNINGS": "error"}
    env.pop("KIOSK_CONFIG", None)
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", *args], capture_output=True, text=True, env=env, timeout=120
    )
    if check:
        assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def code_from(output: str) -> str:
    line = next(line for line in output.splitlines() if line.startswith("Enrollment code"))
    return line.rsplit(" ", 1)[1]


def health_of(hub, village: str) -> list[tuple]:
    with sqlite3.connect(hub / "hub.sqlite3") as conn:
        return conn.execute(
            "SELECT kiosk_id, printer_state, catalog_version FROM health WHERE kiosk_id = ?",
            (village,),
        ).fetchall()


def config_file(tmp_path, village: str, **settings) -> str:
    lines = [f'village = "{village}"', f'state_dir = "{tmp_path / village}"']
    lines += [f'{name} = "{value}"' for name, value in settings.items()]
    path = tmp_path / f"{village}.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def wait_up(url: str, proc: subprocess.Popen) -> None:
    for _ in range(300):
        assert proc.poll() is None, proc.stdout.read()
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("kiosk hub serve did not come up")


def test_hub_init_enroll_sync_and_the_stick(tmp_path):
    hub = tmp_path / "hub"
    kiosk("hub", "init", str(hub))
    kiosk("hub", "publish", str(CATALOG_DIR), "--hub", str(hub))
    port = free_port()
    serve = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "hub", "serve", "--hub", str(hub), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_up(f"http://127.0.0.1:{port}/api/status", serve)
        trust = hub / "public" / "metadata" / "1.root.json"
        # 1. Over the network.
        conf = config_file(
            tmp_path,
            "kemlagi",
            hub_url=f"http://127.0.0.1:{port}/public/",
            trust_root=trust,
            report_url=f"http://127.0.0.1:{port}/api/reports",
        )
        code = code_from(kiosk("hub", "enroll", "kemlagi", "--hub", str(hub)))
        kiosk("enroll", code, "--config", conf)
        out = kiosk("sync", "--config", conf)
        assert "Reports delivered" in out and "Catalog updated to version 1" in out
        assert health_of(hub, "kemlagi") == [("kemlagi", "none", 1)]
        assert "enrollment:  no code pending" in kiosk("identity", "--config", conf)
        # 2. By stick, for a hall with no connection at all.
        stick = tmp_path / "usb" / "pelita-kiosk"
        shutil.copytree(hub / "public", stick)
        conf2 = config_file(tmp_path, "watesprojo", trust_root=trust)
        code2 = code_from(kiosk("hub", "enroll", "watesprojo", "--hub", str(hub)))
        kiosk("enroll", code2, "--config", conf2)
        assert "Reports written to the stick" in kiosk(
            "sync", "--config", conf2, "--from", str(stick)
        )
        imported = kiosk("hub", "import", "--hub", str(hub), str(stick))
        assert "stored 1 new record(s)" in imported
        assert health_of(hub, "watesprojo") == [("watesprojo", "none", 1)]
        kiosk("sync", "--config", conf2, "--from", str(stick))  # the kiosk reads the answer
        status = kiosk("status", "--config", conf2)
        assert "1 record(s) confirmed by the hub's last import" in status
        fleet = kiosk("hub", "kiosks", "--hub", str(hub))
        assert "kemlagi" in fleet and "via usb" in fleet
    finally:
        serve.terminate()
        serve.wait(10)
        serve.stdout.close()
