"""kiosk doctor: one plain ✓/✗ line per part, from the real files and a real HTTP check."""

from __future__ import annotations

from kiosk.catalog.release import build_release
from kiosk.catalog.store import CatalogStore
from kiosk.doctor import System, run_checks
from kiosk.status import write_status


class FakeSystem(System):
    def __init__(self, connections=("kiosk-ap",), dns=True, http=200):
        self.connections, self.dns, self.http = connections, dns, http

    def active_connections(self):
        return None if self.connections is None else list(self.connections)

    def captive_dns_running(self):
        return self.dns

    def http_status(self, port, host):
        return self.http


def lines(checks):
    return [str(c) for c in checks]


def test_fresh_demo_state(config):
    out = lines(run_checks(config, FakeSystem(connections=None, dns=False, http=None)))
    assert out[0].startswith("✗ Hotspot: nmcli tidak ada")
    assert out[1].startswith("✗ DNS portal belum aktif")
    assert out[2] == (
        "✗ Halaman kios tidak terbuka (kode tidak ada jawaban). "
        "Lihat: journalctl -u kiosk-web -n 30"
    )
    assert out[3].startswith("✓ Katalog: memakai katalog bawaan")
    assert out[4].startswith("✗ Printer: belum ada kabar")
    assert out[5].startswith("✗ Sinkronisasi belum aktif")


def test_healthy_kiosk(config, bundled_catalog, tmp_path):
    root = tmp_path / "root.json"
    root.write_text("{}")
    config = config.replace(trust_root=str(root), ssid="Balai Desa Betro")
    CatalogStore(config.state_path / "catalog").activate(
        build_release(bundled_catalog, 3, bundled_catalog.updated)
    )
    write_status(config, "printer", "siap, kertas ada", ok=True)
    write_status(config, "sync", "terakhir berhasil 27 November 2026", ok=True)
    checks = run_checks(config, FakeSystem())
    assert all(c.ok for c in checks), lines(checks)
    assert lines(checks)[0] == '✓ Hotspot menyala: Wi-Fi "Balai Desa Betro" di 127.0.0.1:8080'
    assert lines(checks)[3].startswith("✓ Katalog versi 3")


def test_hotspot_down_and_printer_problem(config):
    write_status(config, "printer", "printer tidak terhubung", ok=False)
    checks = lines(run_checks(config, FakeSystem(connections=["Wired connection 1"])))
    assert checks[0] == "✗ Hotspot mati. Coba: sudo nmcli connection up kiosk-ap"
    assert checks[4] == "✗ Printer: printer tidak terhubung"


def test_portal_check_over_real_http(live_server, config):
    config = config.replace(port=live_server.port)
    check = run_checks(config, System())[2]
    assert check.ok, str(check)
    assert str(check) == f"✓ Halaman kios terbuka: http://127.0.0.1:{live_server.port}/"
