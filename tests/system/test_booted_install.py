"""deploy/install.sh for real, on a booted Debian Bookworm (systemd as PID 1, systemd-nspawn).

The kiosk is enrolled in the same step (``--enroll CODE`` from ``kiosk hub enroll``): with
a folder as its hub, the code goes out with the reports in that folder, the hub
imports them (``kiosk hub import``) and the kiosk reads the hub's answer at its next sync.

The container has a private network; its "Wi-Fi" is a veth named wlan0 whose other
end is a phone's network namespace on this machine. NetworkManager cannot run an
access point on a veth, so the install uses ``--wired-hotspot`` (the same shared-mode
profile as type ethernet, as with an external access point on a cable): NetworkManager
starts its own dnsmasq with our drop-in, and the phone gets its lease from it. The
kecamatan's hub is made here with ``kiosk hub init/publish`` and read over file://.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import REPO, require_tool
from .booted import Container, base_root, wheelhouse
from .netns import Namespace, require_root, wait_for

pytestmark = pytest.mark.slow

KIOSK = Path(sys.executable).with_name("kiosk")
UNITS = ["kiosk-guard.service", "kiosk-web.socket", "kiosk-web.service",
         "kiosk-printer.service", "kiosk-sync.timer", "NetworkManager.service"]  # fmt: skip
INSTALL = (
    "bash /root/pelita-kiosk/deploy/install.sh --village kemlagi --wifi-iface wlan0 "
    "--wired-hotspot --printer folder --wheelhouse /root/wheelhouse "
    "--trust-root /srv/pelita-hub/metadata/1.root.json --hub-url file:///srv/pelita-hub "
    "--yes --force"
)
# Written by the system, not the installer, while the test runs.
SYSTEM_STATE = (
    "/var/log/", "/var/lib/systemd/", "/var/lib/NetworkManager/", "/var/cache/", "/var/tmp/",
    "/tmp/", "/run/", "/root/", "/var/lib/dhcp/", "/var/backups/dpkg",
)  # fmt: skip
# What --uninstall deliberately keeps (it says so): the hall's settings and data.
# And the kecamatan's folder (a stick's stand-in) keeps the kiosk's reports on it.
KEPT = ("/etc/kiosk/kiosk.toml", "/usr/share/kiosk/trust/root.json", "/var/lib/kiosk/",
        "/etc/passwd", "/etc/group", "/etc/shadow", "/etc/gshadow", "/etc/.pwd.lock",
        "/srv/pelita-hub/")  # fmt: skip
PI_CONFIG = "# Raspberry Pi firmware settings\narm_64bit=1\n"
COPY_IGNORE = shutil.ignore_patterns(
    ".venv", ".venv-*", ".git", "__pycache__", "*.egg-info", ".pytest_cache", ".ruff_cache",
    ".mypy_cache", "build",
)  # fmt: skip


class Box:
    """The booted container, the phone namespace on its hotspot, and the paths around."""

    def __init__(self, container: Container, phone: Namespace, tmp: Path):
        self.container, self.phone, self.tmp = container, phone, tmp
        self.install_output = ""
        self.code = self.install = ""

    def sh(self, script: str, **kw):
        return self.container.sh(script, **kw)

    def plug_phone(self) -> None:
        """A fresh veth: wlan0 in the container, phone0 in the phone namespace."""
        self.phone.run("ip", "link", "del", "phone0", check=False)
        self.phone.run("ip", "link", "add", "wlan0", "type", "veth", "peer", "name", "phone0")
        self.phone.run("ip", "link", "set", "wlan0", "netns", self.container.netns_path())
        self.phone.run("ip", "link", "set", "phone0", "up")

    def upper_files(self) -> set[str]:
        """Files the running system added or changed (the overlay's upper layer)."""
        upper = self.container.work / "upper"
        found = set()
        for path in upper.rglob("*"):
            if path.is_char_device() or (path.is_dir() and not path.is_symlink()):
                continue  # whiteouts are deletions; folders follow their files
            found.add("/" + str(path.relative_to(upper)))
        return found

    def units_active(self) -> bool:
        result = self.sh("systemctl is-active " + " ".join(UNITS), check=False)
        return result.stdout.split() == ["active"] * len(UNITS)


def hub_cli(*args: str) -> str:
    result = subprocess.run([str(KIOSK), *args], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _make_hub(tmp: Path) -> tuple[Path, str]:
    """The kecamatan's hub (its public folder) and an enrollment code for kemlagi."""
    hub = tmp / "hub"
    hub_cli("hub", "init", str(hub))
    hub_cli("hub", "publish", str(REPO / "catalog"), "--hub", str(hub))
    out = hub_cli("hub", "enroll", "kemlagi", "--hub", str(hub))
    code = next(line for line in out.splitlines() if line.startswith("Enrollment code"))
    return hub / "public", code.split()[-1]


@pytest.fixture(scope="module")
def box(tmp_path_factory):
    require_root("the booted-system install test")
    for tool in ["debootstrap", "systemd-nspawn", "nsenter", "busybox", "curl"]:
        require_tool(tool)
    tmp = tmp_path_factory.mktemp("booted")
    log = tmp / "prepare.log"
    base, wheels = base_root(log), wheelhouse(log)
    container = Container(base, tmp / "container")
    phone = Namespace(f"pk-bphone-{os.getpid() % 100000}")
    try:
        root = container.root
        shutil.copytree(REPO, root / "root/pelita-kiosk", ignore=COPY_IGNORE)
        shutil.copytree(wheels, root / "root/wheelhouse")
        public, code = _make_hub(tmp)
        shutil.copytree(public, root / "srv/pelita-hub")
        # Like a stick the kiosk user may write on: its reports go there.
        (root / "srv/pelita-hub/reports").mkdir(mode=0o1777)
        (root / "srv/pelita-hub/reports").chmod(0o1777)
        # A Raspberry Pi's firmware settings, where the installer turns the watchdog on.
        (root / "boot/firmware").mkdir(parents=True)
        (root / "boot/firmware/config.txt").write_text(PI_CONFIG)
        container.boot()
        box = Box(container, phone, tmp)
        box.code, box.install = code, f"{INSTALL} --enroll {code}"
        box.plug_phone()
        box.before_install = box.upper_files()
        result = box.sh(box.install, check=False, timeout=600)
        box.install_output = result.stdout + result.stderr
        (tmp / "install.out").write_text(box.install_output)
        assert result.returncode == 0, box.install_output[-6000:]
        yield box
    finally:
        container.shutdown()
        phone.close()


def test_install_ends_with_every_check_passing(box):
    assert "Selesai: kios siap." in box.install_output
    self_test = box.install_output.split("Uji mandiri")[-1]
    assert "✓" in self_test and "✗" not in self_test, self_test
    config_txt = box.sh("cat /boot/firmware/config.txt").stdout
    assert config_txt.startswith(PI_CONFIG) and "\ndtparam=watchdog=on\n" in config_txt
    # Only the board checks fail here (--force): amd64, not a Raspberry Pi.
    preflight = box.install_output.split("Pengaturan kios")[0]
    assert preflight.count("✗") == 2, preflight


def test_all_units_are_active(box):
    assert box.units_active(), box.sh("systemctl --no-pager status 'kiosk-*'", check=False).stdout


def test_port_80_is_held_by_systemd_and_answered_through_the_socket(box):
    listeners = box.sh("ss -Hltnp 'sport = :80'").stdout
    assert '"systemd",pid=1' in listeners, listeners
    status = box.sh("curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1/").stdout
    assert status == "200"


def test_a_killed_web_process_comes_back(box):
    def main_pid() -> int:
        return int(box.sh("systemctl show -p MainPID --value kiosk-web.service").stdout)

    old = main_pid()
    assert old > 0
    box.sh(f"kill -9 {old}")
    wait_for(lambda: main_pid() not in (0, old) and box.units_active(), "kiosk-web back", 30)
    status = box.sh("curl -s -o /dev/null -w '%{http_code}' -m 10 http://127.0.0.1/").stdout
    assert status == "200"


def test_doctor_says_all_is_well(box):
    result = box.sh("/opt/kiosk/venv/bin/kiosk doctor --config /etc/kiosk/kiosk.toml", check=False)
    checks = [line for line in result.stdout.splitlines() if line[:1] in ("✓", "✗")]
    assert result.returncode == 0 and len(checks) >= 7, result.stdout
    assert all(line.startswith("✓") for line in checks), result.stdout
    assert any("Firewall hotspot aktif di wlan0" in line for line in checks)
    assert any("Katalog versi 1" in line for line in checks), "the first sync ran"


def test_the_kiosk_is_enrolled_in_the_same_step(box):
    step = box.install_output.split("Pendaftaran kios ke kecamatan")[1].split("==")[0]
    assert "kode ikut laporan" in step, step  # a folder hub: it waits for the import
    log = box.sh("cat /var/lib/kiosk/install.log").stdout
    assert "--enroll ****" in log
    assert box.code not in box.install_output and box.code not in log
    kiosk = "runuser -u kiosk -- /opt/kiosk/venv/bin/kiosk"
    assert "waiting to be sent" in box.sh(f"{kiosk} identity --config /etc/kiosk/kiosk.toml").stdout
    folder = box.container.root / "srv/pelita-hub"
    assert list((folder / "reports/kemlagi").glob("*.pkb"))
    imported = hub_cli("hub", "import", "--hub", str(box.tmp / "hub"), str(folder))
    assert "kemlagi" in imported, imported
    # The stick's next visit (as kiosk-usb-sync@ does it: it may write on the stick).
    box.sh(f"{kiosk} sync --config /etc/kiosk/kiosk.toml --from /srv/pelita-hub")
    assert not list((folder / "reports/kemlagi").glob("ack-*")), "the answer was read"
    identity = box.sh(f"{kiosk} identity --config /etc/kiosk/kiosk.toml").stdout
    assert "no code pending (confirmed by the hub" in identity, identity
    fingerprint = re.search(r"key:\s+(\S+)", identity)[1]
    fleet = hub_cli("hub", "kiosks", "--hub", str(box.tmp / "hub"))
    assert f"key {fingerprint}" in fleet, fleet


def test_phone_gets_a_lease_from_networkmanagers_dnsmasq_and_lands_on_the_portal(box):
    lease = box.tmp / "lease"
    script = box.tmp / "udhcpc.sh"
    script.write_text(
        '#!/bin/sh\ncase "$1" in bound|renew)\n  ip addr add "$ip/$mask" dev "$interface"\n'
        f'  echo "ip=$ip dns=$dns" > {lease}\n  ;;\nesac\nexit 0\n'
    )
    script.chmod(0o755)
    box.phone.run(
        require_tool("busybox"), "udhcpc", "-i", "phone0", "-n", "-q", "-t", "10", "-T", "1",
        "-s", str(script), timeout=60,
    )  # fmt: skip
    facts = dict(item.split("=", 1) for item in lease.read_text().split())
    assert facts["ip"].startswith("10.42.0.") and facts["dns"] == "10.42.0.1"
    args = box.sh("ps -o args= -C dnsmasq").stdout
    assert "--conf-dir=/etc/NetworkManager/dnsmasq-shared.d" in args, args
    box.phone.etc.joinpath("resolv.conf").write_text("nameserver 10.42.0.1\n")
    probe = box.phone.run(
        "curl", "-sS", "-L", "-m", "2", "-o", "/dev/null", "-w", "%{http_code} %{url_effective}",
        "http://connectivitycheck.gstatic.com/generate_204", check=False,
    )  # fmt: skip
    assert probe.stdout == "200 http://10.42.0.1/", probe.stderr


def test_self_test_counts_every_failed_check(box):
    box.sh("systemctl stop kiosk-web.socket kiosk-web.service; nmcli connection down kiosk-ap")
    try:
        result = box.sh("bash /root/pelita-kiosk/deploy/install.sh --self-test", check=False)
        shown = [line for line in result.stdout.splitlines() if line.strip().startswith("✗")]
        assert result.returncode == 1 and len(shown) >= 3, result.stdout
        assert f"Belum beres: {len(shown)} pemeriksaan ✗" in result.stdout
    finally:
        box.sh("systemctl start kiosk-web.socket kiosk-web.service; nmcli connection up kiosk-ap",
               check=False)  # fmt: skip
    wait_for(box.units_active, "the units after the self-test", 30)


def test_after_a_reboot_everything_is_active_again(box):
    box.container.reboot()
    box.plug_phone()
    wait_for(box.units_active, "every unit after the reboot", 60)
    wait_for(
        lambda: "kiosk-ap" in box.sh("nmcli -t -f NAME connection show --active").stdout,
        "the hotspot after the reboot",
        30,
    )


def test_a_second_install_changes_nothing(box):
    def snapshot() -> dict[str, str]:
        out = box.sh(
            "find /etc /opt/kiosk /usr/share/kiosk /usr/share/doc/pelita-kiosk -type f "
            "! -path '*/__pycache__/*' -print0 | sort -z | xargs -0 sha256sum"
        ).stdout
        return dict(reversed(line.split(None, 1)) for line in out.splitlines())

    before = snapshot()
    result = box.sh(box.install, check=False, timeout=600)
    assert result.returncode == 0, result.stdout[-4000:]
    assert not re.search(r"^\s+(tulis|hapus): ", result.stdout, re.M), result.stdout
    after = snapshot()
    changed = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
    assert changed == set()


def test_uninstall_removes_every_file_the_install_laid(box):
    laid = box.upper_files() - box.before_install
    assert "/opt/kiosk/venv/bin/kiosk" in laid and "/etc/kiosk/kiosk-guard.nft" in laid
    result = box.sh("bash /root/pelita-kiosk/deploy/install.sh --uninstall", check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    left = {
        path
        for path in laid & box.upper_files()
        if not path.startswith(SYSTEM_STATE + KEPT) and "/__pycache__/" not in path
    }
    assert left == set(), sorted(left)
    assert box.sh("cat /boot/firmware/config.txt").stdout == PI_CONFIG
    inactive = box.sh("systemctl is-active " + " ".join(UNITS[:5]), check=False).stdout.split()
    assert "active" not in inactive
