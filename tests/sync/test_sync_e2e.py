"""The acceptance walk-through, as a technician would do it: hub init, publish, serve
the hub folder with ``python -m http.server``, ``kiosk sync``; change a fee; tamper;
replay. The site (real waitress) shows exactly what was accepted."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.request

import pytest
from click.testing import CliRunner

from kiosk.cli import main
from kiosk.config import load_config
from kiosk.web import create_app

from ..conftest import LiveServer, free_port
from .conftest import NEW_FEE, set_skck_fee, stop_site


def page(server, path="/layanan/skck") -> str:
    with urllib.request.urlopen(server.url + path, timeout=5) as response:
        return response.read().decode()


def kiosk(runner, *args):
    return runner.invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def http_server(tmp_path):
    """``python -m http.server`` serving HUB_DIR/public, as docs/sync.md says."""
    hub_dir = tmp_path / "hub"
    port = free_port()
    (hub_dir / "public").mkdir(parents=True)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "http.server",
            str(port),
            "--bind",
            "127.0.0.1",
            "--directory",
            str(hub_dir / "public"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 10
    while True:
        try:
            urllib.request.urlopen(url, timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                proc.kill()
                raise
            time.sleep(0.05)
    try:
        yield hub_dir, url
    finally:
        proc.kill()
        proc.wait(5)


@pytest.mark.slow
def test_acceptance_walk_through(tmp_path, catalog_copy, http_server):
    hub_dir, url = http_server
    runner = CliRunner()
    shutil.rmtree(hub_dir / "public")  # init creates it (the server serves whatever is there)

    out = kiosk(runner, "hub", "init", str(hub_dir))
    assert out.exit_code == 0, out.output
    assert "Serve or copy ONLY" in out.output and "trust_root" in out.output
    out = kiosk(runner, "hub", "publish", str(catalog_copy), "--hub", str(hub_dir))
    assert out.exit_code == 0 and "published catalog version 1" in out.output, out.output

    toml = tmp_path / "kiosk.toml"
    toml.write_text(
        f'state_dir = "{tmp_path / "kiosk"}"\nhub_url = "{url}"\n'
        f'trust_root = "{hub_dir / "public/metadata/1.root.json"}"\n'
        "sync_read_timeout = 2\n",
        encoding="utf-8",
    )
    config = load_config(toml, env={})
    site = LiveServer(create_app(config))
    try:
        assert "Informasi diperbarui" in page(site, "/")
        out = kiosk(runner, "sync", "--config", str(toml))
        assert out.exit_code == 0 and "updated to version 1" in out.output, out.output
        wait_for(site, "Rp 30.000")

        set_skck_fee(catalog_copy, NEW_FEE)
        assert publish(runner, catalog_copy, hub_dir).exit_code == 0
        saved_v2 = {p.name: p.read_bytes() for p in (hub_dir / "public/metadata").iterdir()}
        out = kiosk(runner, "sync", "--config", str(toml))
        assert out.exit_code == 0 and "updated to version 2" in out.output, out.output
        wait_for(site, "Rp 35.000")

        # Tamper with every published form of release 3 (whole, packed, patches).
        set_skck_fee(catalog_copy, "fee: 40000")
        before = set((hub_dir / "public/targets").iterdir())
        assert publish(runner, catalog_copy, hub_dir).exit_code == 0
        forms = set((hub_dir / "public/targets").iterdir()) - before
        assert len(forms) == 4  # whole, packed, patches from 2 and from 1
        for target in forms:
            data = target.read_bytes()
            if target.name.endswith(".catalog.json"):
                data = data.replace(b"40000", b"90000")
            else:
                data = data[:-40] + bytes(b ^ 1 for b in data[-40:])
            target.write_bytes(data)
        out = kiosk(runner, "sync", "--config", str(toml))
        assert out.exit_code == 1
        assert "does not match what the kecamatan signed" in out.output, out.output
        assert "Still serving catalog version 2" in out.output

        # Replay the older release's metadata.
        for name, data in saved_v2.items():
            (hub_dir / "public/metadata" / name).write_bytes(data)
        (hub_dir / "public/metadata/timestamp.json").write_bytes(saved_v2["timestamp.json"])
        out = kiosk(runner, "sync", "--config", str(toml))
        assert out.exit_code == 1
        assert "older metadata than this kiosk already trusts" in out.output, out.output

        time.sleep(1.2)
        assert "Rp 35.000" in page(site) and "Rp 90.000" not in page(site)
        status = kiosk(runner, "status", "--config", str(toml)).output
        assert "catalog: version 2" in status and "!! sync: Update refused" in status
    finally:
        stop_site(site)


def publish(runner, catalog_dir, hub_dir):
    return kiosk(runner, "hub", "publish", str(catalog_dir), "--hub", str(hub_dir))


def wait_for(site, text, seconds=3.0):
    deadline = time.monotonic() + seconds
    while text not in page(site):
        assert time.monotonic() < deadline, f"site never showed {text!r}"
        time.sleep(0.1)
