"""kiosk doctor: one plain ✓/✗ line per part, from the real files and a real HTTP check."""

from __future__ import annotations

import pytest

from kiosk.catalog.release import build_release
from kiosk.catalog.store import CatalogStore
from kiosk.doctor import System, run_checks
from kiosk.status import write_status

GUARD = """table inet kiosk_guard {
    chain forward {
        iifname "wlan0" drop
        oifname "wlan0" drop
    }
    chain input {
        iifname != "wlan0" accept
    }
}"""


class FakeSystem(System):
    def __init__(
        self,
        connections=("kiosk-ap",),
        dns=True,
        http=200,
        guard=GUARD,
        iface="wlan0",
        paths=("/dev/usb/lp0",),
        usb=(),
    ):
        self.connections, self.dns, self.http = connections, dns, http
        self.guard, self.iface, self.paths, self.usb = guard, iface, set(paths), set(usb)

    def active_connections(self):
        return None if self.connections is None else list(self.connections)

    def captive_dns_running(self):
        return self.dns

    def http_status(self, port, host, address="127.0.0.1"):
        return self.http

    def guard_rules(self):
        return self.guard

    def hotspot_interface(self):
        return self.iface

    def path_exists(self, path):
        return path in self.paths

    def usb_ids(self):
        return self.usb


def by_name(checks):
    return {c.name: str(c) for c in checks}


def test_fresh_demo_state(config):
    out = by_name(
        run_checks(config, FakeSystem(connections=None, dns=False, http=None, guard=None))
    )
    assert out["hotspot"].startswith("✗ Hotspot: nmcli tidak ada")
    assert out["dns"].startswith("✗ DNS portal belum aktif")
    assert out["firewall"].startswith("✗ Firewall hotspot tidak aktif")
    assert out["portal"] == (
        "✗ Halaman kios tidak terbuka (kode tidak ada jawaban). "
        "Lihat: journalctl -u kiosk-web -n 30"
    )
    assert out["catalog"].startswith("✓ Katalog: memakai katalog bawaan")
    assert out["printer"].startswith("✗ Printer: belum ada kabar")
    assert out["sync"].startswith("✗ Sinkronisasi belum aktif")


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
    assert all(c.ok for c in checks), by_name(checks)
    out = by_name(checks)
    assert out["hotspot"] == '✓ Hotspot menyala: Wi-Fi "Balai Desa Betro" di 127.0.0.1:8080'
    assert out["firewall"] == "✓ Firewall hotspot aktif di wlan0: HP hanya bisa ke kios"
    assert out["catalog"].startswith("✓ Katalog versi 3")


def test_hotspot_down_and_printer_problem(config):
    write_status(config, "printer", "printer tidak terhubung", ok=False)
    checks = by_name(run_checks(config, FakeSystem(connections=["Wired connection 1"])))
    assert checks["hotspot"] == "✗ Hotspot mati. Coba: sudo nmcli connection up kiosk-ap"
    assert checks["printer"] == "✗ Printer: printer tidak terhubung"


def test_guard_on_another_interface_is_a_failure(config):
    checks = by_name(run_checks(config, FakeSystem(iface="wlan1")))
    assert checks["firewall"] == (
        "✗ Firewall hotspot menjaga antarmuka lain, bukan wlan1. "
        "Jalankan lagi: sudo deploy/install.sh --wifi-iface wlan1"
    )


@pytest.mark.parametrize(
    ("printer", "system", "expected"),
    [
        (
            {"type": "file", "device": "/dev/usb/lp0"},
            FakeSystem(paths=()),
            "/dev/usb/lp0 tidak ada",
        ),
        ({"type": "serial", "device": "/dev/ttyUSB0"}, FakeSystem(), "/dev/ttyUSB0 tidak ada"),
        (
            {"type": "usb", "vendor": 0x0416, "product": 0x5011},
            FakeSystem(usb={(0x1D6B, 0x0002)}),
            "USB 0416:5011 tidak terpasang",
        ),
    ],
    ids=["file", "serial", "usb"],
)
def test_a_missing_printer_is_reported_even_when_the_daemon_says_ready(
    config, printer, system, expected
):
    config = config.replace(printer=printer)
    # The daemon reports ready before it ever writes (it opens the device per slip).
    write_status(config, "printer", "Printer ready (device file /dev/usb/lp0).", ok=True)
    check = by_name(run_checks(config, system))["printer"]
    assert check == f"✗ Printer tidak terhubung ({expected}). Periksa kabel USB dan daya printer"


def test_a_plugged_in_printer_defers_to_the_daemon(config):
    config = config.replace(printer={"type": "usb", "vendor": 0x0416, "product": 0x5011})
    write_status(config, "printer", "Printer ready (USB printer 0416:5011).", ok=True)
    check = by_name(run_checks(config, FakeSystem(usb={(0x0416, 0x5011)})))["printer"]
    assert check == "✓ Printer: Printer ready (USB printer 0416:5011)."


def test_real_system_reads_usb_ids_and_paths(tmp_path):
    system = System()
    assert system.path_exists(str(tmp_path))
    assert not system.path_exists(str(tmp_path / "lp0"))
    assert all(isinstance(v, int) and isinstance(p, int) for v, p in system.usb_ids())


def test_portal_check_over_real_http(live_server, config):
    config = config.replace(port=live_server.port)
    check = by_name(run_checks(config, System()))["portal"]
    assert check == f"✓ Halaman kios terbuka: http://127.0.0.1:{live_server.port}/"
