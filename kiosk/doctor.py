"""``kiosk doctor``: the installer's self-test, runnable any time by a technician.

Each check returns one ✓/✗ line in plain Indonesian that says what to do. The
system is reached through a small :class:`System` object (nmcli, /proc, HTTP) so
tests can swap it; everything else reads the same files the daemons write.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from .catalog.active import fallback_release_path
from .catalog.release import load_release
from .catalog.store import CatalogStore
from .config import Config
from .errors import ReleaseInvalid
from .indonesian import format_date
from .probe import http_status
from .status import read_status

HOTSPOT_CONNECTION = "kiosk-ap"  # the NetworkManager connection deploy/install.sh creates
GUARD_TABLE = "kiosk_guard"  # deploy/nft/kiosk-guard.nft, loaded by kiosk-guard.service
USB_DEVICES = Path("/sys/bus/usb/devices")


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    message: str

    def __str__(self) -> str:
        return f"{'✓' if self.ok else '✗'} {self.message}"


class System:
    """The parts of the machine the doctor looks at (replaced in tests)."""

    def active_connections(self) -> list[str] | None:
        """Names of active NetworkManager connections, or None without nmcli."""
        try:
            out = subprocess.run(
                ["nmcli", "-t", "-f", "NAME", "connection", "show", "--active"],
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
            )
        except (FileNotFoundError, subprocess.TimeoutExpired):
            return None
        return out.stdout.split()

    def captive_dns_running(self) -> bool:
        """Is NetworkManager's dnsmasq running with our captive drop-in folder?"""
        for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
            try:
                args = cmdline.read_bytes().split(b"\0")
            except OSError:
                continue
            if (
                args
                and args[0].endswith(b"dnsmasq")
                and any(b"dnsmasq-shared.d" in a for a in args)
            ):
                return True
        return False

    def _command(self, *argv: str) -> str | None:
        """stdout of a read-only command, or None if it is missing or fails."""
        try:
            out = subprocess.run(argv, capture_output=True, text=True, timeout=10, check=False)
        except (FileNotFoundError, subprocess.TimeoutExpired):
            return None
        return out.stdout if out.returncode == 0 else None

    def hotspot_interface(self) -> str | None:
        """The interface the hotspot connection is bound to (its profile), or None."""
        out = self._command(
            "nmcli", "-g", "connection.interface-name", "connection", "show", HOTSPOT_CONNECTION
        )
        if out is None or not out.strip():
            return None
        return out.strip()

    def guard_rules(self) -> str | None:
        """The loaded hotspot firewall table (``nft list``; needs root), or None."""
        return self._command("nft", "list", "table", "inet", GUARD_TABLE)

    def path_exists(self, path: str) -> bool:
        return Path(path).exists()

    def usb_ids(self) -> set[tuple[int, int]]:
        """(vendor, product) of every USB device plugged in."""
        ids = set()
        for device in USB_DEVICES.glob("*"):
            try:
                vendor = int((device / "idVendor").read_text(), 16)
                product = int((device / "idProduct").read_text(), 16)
            except (OSError, ValueError):
                continue
            ids.add((vendor, product))
        return ids

    def http_status(self, port: int, host: str) -> int | None:
        """Status of the site's ``GET /`` for ``host`` (None: no answer)."""
        return http_status(port, host)


def check_hotspot(config: Config, system: System) -> Check:
    active = system.active_connections()
    if active is None:
        return Check(
            "hotspot",
            False,
            "Hotspot: nmcli tidak ada. Kios ini belum dipasang dengan deploy/install.sh",
        )
    if HOTSPOT_CONNECTION in active:
        return Check("hotspot", True, f'Hotspot menyala: Wi-Fi "{config.ssid}" di {config.portal}')
    return Check(
        "hotspot", False, f"Hotspot mati. Coba: sudo nmcli connection up {HOTSPOT_CONNECTION}"
    )


def check_captive_dns(config: Config, system: System) -> Check:
    if system.captive_dns_running():
        return Check("dns", True, "DNS portal aktif: semua alamat menuju kios")
    return Check(
        "dns",
        False,
        f"DNS portal belum aktif. Coba: sudo nmcli connection down {HOTSPOT_CONNECTION}; "
        f"sudo nmcli connection up {HOTSPOT_CONNECTION}",
    )


def check_portal(config: Config, system: System) -> Check:
    status = system.http_status(config.port, config.portal)
    if status == 200:
        return Check("portal", True, f"Halaman kios terbuka: {config.portal_url}")
    return Check(
        "portal",
        False,
        f"Halaman kios tidak terbuka (kode {status or 'tidak ada jawaban'}). "
        "Lihat: journalctl -u kiosk-web -n 30",
    )


def check_catalog(config: Config) -> Check:
    store = CatalogStore(config.state_path / "catalog")
    try:
        catalog = store.load_current()
    except ReleaseInvalid as exc:
        return Check("catalog", False, f"Katalog rusak ({exc}). Jalankan: sudo kiosk sync")
    if catalog is None:
        bundled = load_release(fallback_release_path(config))
        return Check(
            "catalog",
            True,
            f"Katalog: memakai katalog bawaan ({format_date(bundled.updated)}), "
            "belum pernah sinkron",
        )
    return Check(
        "catalog",
        True,
        f"Katalog versi {catalog.version}, diperbarui "
        f"{format_date(catalog.updated)}, {len(catalog.services)} layanan",
    )


def _from_status(config: Config, name: str, label: str, missing: str) -> Check:
    status = read_status(config, name)
    if status is None:
        return Check(name, False, f"{label}: {missing}")
    return Check(name, bool(status.get("ok")), f"{label}: {status.get('summary', '?')}")


def check_firewall(config: Config, system: System) -> Check:
    """The guard is loaded and guards the interface the hotspot really uses."""
    rules = system.guard_rules()
    if rules is None:
        return Check(
            "firewall",
            False,
            "Firewall hotspot tidak aktif (atau jalankan sebagai root: sudo kiosk doctor). "
            "Coba: sudo systemctl restart kiosk-guard; lihat journalctl -u kiosk-guard -n 30",
        )
    iface = system.hotspot_interface()
    if iface is None:
        return Check(
            "firewall", False, f"Firewall: profil hotspot {HOTSPOT_CONNECTION} tidak ditemukan"
        )
    if f'iifname "{iface}" drop' not in rules or f'iifname != "{iface}" accept' not in rules:
        return Check(
            "firewall",
            False,
            f"Firewall hotspot menjaga antarmuka lain, bukan {iface}. "
            f"Jalankan lagi: sudo deploy/install.sh --wifi-iface {iface}",
        )
    return Check("firewall", True, f"Firewall hotspot aktif di {iface}: HP hanya bisa ke kios")


def printer_missing(config: Config, system: System) -> str | None:
    """Why the configured printer is surely not there (device file, USB id), or None."""
    options = config.printer
    kind = options.get("type")
    if kind in ("file", "serial"):
        default = "/dev/usb/lp0" if kind == "file" else "/dev/serial0"
        device = str(options.get("device", default))
        if not system.path_exists(device):
            return f"{device} tidak ada"
    if kind == "usb":
        try:
            wanted = (int(options["vendor"]), int(options["product"]))
        except (KeyError, TypeError, ValueError):
            return None  # a bad setting: the printer daemon says what is wrong
        if wanted not in system.usb_ids():
            return f"USB {wanted[0]:04x}:{wanted[1]:04x} tidak terpasang"
    return None


def check_printer(config: Config, system: System) -> Check:
    missing = printer_missing(config, system)
    if missing:
        return Check(
            "printer",
            False,
            f"Printer tidak terhubung ({missing}). Periksa kabel USB dan daya printer",
        )
    return _from_status(
        config, "printer", "Printer", "belum ada kabar. Lihat: journalctl -u kiosk-printer -n 30"
    )


def check_sync(config: Config) -> Check:
    if not config.trust_root or not Path(config.trust_root).is_file():
        return Check(
            "sync",
            False,
            "Sinkronisasi belum aktif: kunci kecamatan (root.json) belum "
            "dipasang (setelan trust_root)",
        )
    return _from_status(
        config,
        "sync",
        "Sinkronisasi",
        "belum pernah berjalan. Coba: sudo systemctl start kiosk-sync",
    )


def run_checks(config: Config, system: System | None = None) -> list[Check]:
    system = system or System()
    return [
        check_hotspot(config, system),
        check_captive_dns(config, system),
        check_firewall(config, system),
        check_portal(config, system),
        check_catalog(config),
        check_printer(config, system),
        check_sync(config),
    ]
