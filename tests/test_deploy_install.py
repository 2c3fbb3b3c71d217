"""deploy/install.sh and the files it lays down, checked without a Raspberry Pi.

The installer runs with a PATH whose first entries are recording stubs for every
command that changes a system (apt-get, useradd, systemctl, nmcli, ...), so a
test can prove that --dry-run and --root never call them. Tools come from
scripts/install-test-deps; in CI (``CI`` set) a missing tool fails instead of skipping.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import require_tool

REPO = Path(__file__).resolve().parents[1]
INSTALL = REPO / "deploy" / "install.sh"
CAPTIVE_CONF = REPO / "deploy" / "dnsmasq-shared.d" / "kiosk-captive.conf"
# Commands that change the machine. Read-only verbs are allowed in READ_VERBS.
MUTATORS = [
    "apt-get", "useradd", "usermod", "groupadd", "systemctl", "nmcli", "udevadm",
    "raspi-config", "mount", "iw", "pip",
]  # fmt: skip
READ_VERBS = {"systemctl": {"is-active", "is-enabled"}}
EXPECTED_FILES = {
    "etc/kiosk/kiosk.toml",
    "etc/kiosk/kiosk-guard.nft",
    "etc/NetworkManager/system-connections/kiosk-ap.nmconnection",
    "etc/NetworkManager/dnsmasq-shared.d/kiosk-captive.conf",
    "etc/NetworkManager/dispatcher.d/90-kiosk-sync",
    "etc/udev/rules.d/60-kiosk-printer.rules",
    "etc/udev/rules.d/90-kiosk-usb-sync.rules",
    "etc/systemd/system/kiosk-web.socket",
    "etc/systemd/system/kiosk-web.service",
    "etc/systemd/system/kiosk-printer.service",
    "etc/systemd/system/kiosk-sync.service",
    "etc/systemd/system/kiosk-sync.timer",
    "etc/systemd/system/kiosk-usb-sync@.service",
    "etc/systemd/system/kiosk-guard.service",
    "etc/systemd/system/sockets.target.wants/kiosk-web.socket",
    "etc/systemd/system/multi-user.target.wants/kiosk-web.service",
    "etc/systemd/system/multi-user.target.wants/kiosk-printer.service",
    "etc/systemd/system/timers.target.wants/kiosk-sync.timer",
    "etc/systemd/system/sysinit.target.wants/kiosk-guard.service",
    "etc/systemd/system.conf.d/kiosk-watchdog.conf",
}
# Paths a real install would create on this machine; none may appear.
SYSTEM_PATHS = [
    "/etc/kiosk", "/opt/kiosk", "/var/lib/kiosk", "/usr/share/kiosk",
    "/etc/systemd/system/kiosk-web.service", "/etc/udev/rules.d/60-kiosk-printer.rules",
    "/etc/NetworkManager/dnsmasq-shared.d/kiosk-captive.conf",
]  # fmt: skip


@pytest.fixture
def installer(tmp_path):
    """Run install.sh with recording stubs first on PATH; returns (run, calls)."""
    stubs = tmp_path / "stubs"
    stubs.mkdir()
    log = tmp_path / "calls.log"
    for name in MUTATORS:
        stub = stubs / name
        # is-active/is-enabled answer "no"; any other call is recorded and fails.
        stub.write_text(f'#!/bin/sh\necho "{name} $*" >> "{log}"\nexit 3\n')
        stub.chmod(0o755)
    env = {
        # The venv's kiosk command writes and reads the settings (kiosk config).
        "PATH": f"{stubs}:{Path(sys.executable).parent}:/usr/bin:/bin",
        "HOME": str(tmp_path / "home"),
        "LANG": "C.UTF-8",
    }

    def run(
        *args: str, check: bool = True, stdin: str | None = None
    ) -> subprocess.CompletedProcess:
        result = subprocess.run(
            ["bash", str(INSTALL), *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            **({"input": stdin} if stdin is not None else {"stdin": subprocess.DEVNULL}),
        )
        if check:
            assert result.returncode == 0, result.stdout + result.stderr
        return result

    def calls() -> list[str]:
        return log.read_text().splitlines() if log.exists() else []

    return run, calls


def _only_reads(calls: list[str]) -> list[str]:
    """The recorded calls that would have changed something."""
    changes = []
    for call in calls:
        name, _, rest = call.partition(" ")
        verb = rest.split()[0] if rest.split() else ""
        if verb not in READ_VERBS.get(name, set()):
            changes.append(call)
    return changes


def _system_snapshot() -> dict[str, bool]:
    return {path: os.path.lexists(path) for path in SYSTEM_PATHS}


def _files_under(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() or p.is_symlink()}


def test_dry_run_prints_the_plan_and_changes_nothing(installer, tmp_path):
    run, calls = installer
    before = _system_snapshot()
    cwd_before = sorted(os.listdir(REPO))
    result = run("--dry-run")
    assert _only_reads(calls()) == []
    assert _system_snapshot() == before
    assert sorted(os.listdir(REPO)) == cwd_before
    out = result.stdout
    assert "RENCANA SAJA (--dry-run)" in out
    for planned in [
        "'apt-get' 'install'",
        "'useradd'",
        "tulis /etc/kiosk/kiosk.toml",
        "tulis /etc/NetworkManager/system-connections/kiosk-ap.nmconnection",
        "tulis /etc/NetworkManager/dnsmasq-shared.d/kiosk-captive.conf",
        "tulis /etc/udev/rules.d/60-kiosk-printer.rules",
        "systemctl' 'enable' 'kiosk-web.socket",
        "nmcli' 'connection' 'up' 'kiosk-ap",
        "uji: hotspot, DNS portal, firewall, portal, katalog, printer, sinkronisasi",
    ]:
        assert planned in out, planned
    # Every planned file is shown with its content, and none was written.
    for path in re.findall(r"\[rencana\] tulis (\S+)", out):
        assert path in out
        if not before.get(path, False):
            assert not os.path.exists(path), path


def test_dry_run_hides_the_wifi_password(installer):
    run, _ = installer
    out = run("--dry-run", "--village", "kemlagi", "--wifi-password", "rahasia-desa").stdout
    assert "rahasia-desa" not in out
    assert "psk = ********" in out


def test_root_lays_the_expected_files_and_nothing_outside(installer, tmp_path):
    run, calls = installer
    root = tmp_path / "root"
    before = _system_snapshot()
    run("--dry-run", "--root", str(root), "--village", "watesprojo", "--yes")
    assert _only_reads(calls()) == []
    assert _system_snapshot() == before
    files = _files_under(root)
    assert EXPECTED_FILES <= files, EXPECTED_FILES - files
    unexpected = {f for f in files if not f.startswith(("etc/", "var/lib/kiosk/", "usr/share/"))}
    assert unexpected == set()
    profile = root / "etc/NetworkManager/system-connections/kiosk-ap.nmconnection"
    assert stat.S_IMODE(profile.stat().st_mode) == 0o600
    for link in (root / "etc/systemd/system").glob("*.wants/*"):
        assert os.readlink(link).startswith("/etc/systemd/system/"), link
    for state in ["catalog", "tuf", "spool", "status"]:
        assert (root / "var/lib/kiosk" / state).is_dir()


def test_second_run_changes_nothing(installer, tmp_path):
    run, _ = installer
    root = tmp_path / "root"
    flags = ["--root", str(root), "--village", "kemlagi", "--wifi-password", "rahasia123"]
    run(*flags)
    first = {f: (root / f).read_bytes() for f in _files_under(root) if (root / f).is_file()}
    out = run(*flags).stdout
    assert "tulis:" not in out
    assert {f: (root / f).read_bytes() for f in first} == first


def test_rerun_without_flags_keeps_the_halls_config(installer, tmp_path):
    run, _ = installer
    root = tmp_path / "root"
    run("--root", str(root), "--village", "watesprojo", "--ssid", "Balai Watesprojo")
    config = root / "etc/kiosk/kiosk.toml"
    edited = config.read_text().replace("Balai Watesprojo", "Info Watesprojo")
    config.write_text(edited)  # the technician changed the Wi-Fi name by hand
    out = run("--root", str(root)).stdout
    assert "memakai /etc/kiosk/kiosk.toml yang sudah ada (desa: watesprojo)" in out
    assert config.read_text() == edited
    profile = (root / "etc/NetworkManager/system-connections/kiosk-ap.nmconnection").read_text()
    assert "ssid=Info Watesprojo" in profile


CODE = "QH3R-8WZD-2KPX"  # not the example code the guides show


@pytest.mark.parametrize("how", ["flag", "stdin"])
def test_enroll_code_is_planned_but_never_shown_logged_or_written(installer, tmp_path, how):
    run, _ = installer
    root = tmp_path / "root"
    flags = ["--root", str(root), "--village", "kemlagi", "--yes",
             "--hub-url", "http://hub.kemlagi:8090/public/"]  # fmt: skip
    if how == "flag":
        result = run(*flags, "--enroll", CODE)
    else:
        result = run(*flags, "--enroll", "-", stdin=CODE.lower() + "\n")
    assert "kiosk enroll (sebagai pengguna kiosk; kode **** lewat stdin)" in result.stdout
    for text in (result.stdout, result.stderr, *(p.read_bytes().decode("utf-8", "replace")
                 for p in root.rglob("*") if p.is_file())):  # fmt: skip
        assert CODE not in text.upper().replace(" ", "")
    config = (root / "etc/kiosk/kiosk.toml").read_text()
    # The hub app takes reports beside the catalog it serves.
    assert 'report_url = "http://hub.kemlagi:8090/api/reports"' in config
    again = run(*flags, "--enroll", CODE).stdout  # a second install: nothing to write
    assert "tulis:" not in again


def test_without_enroll_the_step_says_how_to_do_it_later(installer, tmp_path):
    run, _ = installer
    out = run("--root", str(tmp_path / "root"), "--village", "kemlagi").stdout
    assert "dilewati (tanpa --enroll)" in out and "kiosk enroll --config" in out


def test_config_loads_with_the_kiosk_settings(installer, tmp_path):
    config_module = pytest.importorskip("kiosk.config")
    run, _ = installer
    root = tmp_path / "root"
    run(
        "--root", str(root), "--village", "watesprojo", "--hub-url", "https://hub.example/kemlagi",
        "--printer", "usb", "--printer-usb", "0416:5011", "--paper-width", "80",
        "--button", "17:ktp-el-baru", "--button", "27:akta-kelahiran", "--led-pin", "22",
    )  # fmt: skip
    config = config_module.load_config(root / "etc/kiosk/kiosk.toml", env={})
    assert config.village == "watesprojo"
    assert (config.host, config.port, config.portal_address) == ("0.0.0.0", 80, "10.42.0.1")
    assert config.state_dir == "/var/lib/kiosk"
    assert config.printer == {"type": "usb", "vendor": 0x0416, "product": 0x5011}
    assert config.buttons == [
        {"pin": 17, "service": "ktp-el-baru"},
        {"pin": 27, "service": "akta-kelahiran"},
    ]
    assert (config.paper_width, config.led_pin) == (80, 22)
    assert config.trust_root == ""  # no --trust-root: sync left unconfigured
    rules = (root / "etc/udev/rules.d/60-kiosk-printer.rules").read_text()
    assert 'ATTR{idVendor}=="0416", ATTR{idProduct}=="5011", GROUP="lp"' in rules


def test_trust_root_is_installed_and_configured(installer, tmp_path):
    run, _ = installer
    anchor = tmp_path / "root.json"
    anchor.write_text('{"signed": {}}\n')
    root = tmp_path / "root"
    run("--root", str(root), "--village", "kemlagi", "--trust-root", str(anchor))
    assert (root / "usr/share/kiosk/trust/root.json").read_text() == anchor.read_text()
    config = (root / "etc/kiosk/kiosk.toml").read_text()
    assert 'trust_root = "/usr/share/kiosk/trust/root.json"' in config


@pytest.mark.parametrize(
    ("password", "expected", "absent"),
    [
        ("", ["mode=ap", "method=shared", "address1=10.42.0.1/24", "band=bg"], ["[wifi-security]"]),
        ("rahasia123", ["key-mgmt=wpa-psk", "proto=rsn", "pmf=1", "psk=rahasia123"], []),
    ],
    ids=["open", "wpa2"],
)
def test_hotspot_profile(installer, tmp_path, password, expected, absent):
    run, _ = installer
    root = tmp_path / "root"
    run("--root", str(root), "--village", "kemlagi", "--wifi-password", password,
        "--channel", "11")  # fmt: skip
    profile = (root / "etc/NetworkManager/system-connections/kiosk-ap.nmconnection").read_text()
    for line in [*expected, "channel=11", "[ipv6]\n# No IPv6"]:
        assert line in profile
    for line in absent:
        assert line not in profile


def test_read_only_root_keeps_the_data_partition_on_disk(installer, tmp_path):
    run, _ = installer
    root = tmp_path / "root"
    out = run("--root", str(root), "--village", "kemlagi", "--read-only-root").stdout
    fstab = (root / "etc/fstab").read_text()
    assert "LABEL=kioskdata /var/lib/kiosk ext4 defaults,noatime,commit=5 0 2" in fstab
    assert "overlayroot=tmpfs:recurse=0" in out
    assert (root / "etc/systemd/journald.conf.d/kiosk-volatile.conf").is_file()


def test_uninstall_removes_what_install_laid(installer, tmp_path):
    run, calls = installer
    root = tmp_path / "root"
    run("--root", str(root), "--village", "kemlagi")
    run("--root", str(root), "--uninstall")
    left = _files_under(root)
    assert left <= {"etc/kiosk/kiosk.toml"}, left
    assert _only_reads(calls()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--bogus"], "Error: pilihan tidak dikenal: --bogus"),
        (["--village", "Kem Lagi"], "Error: pengaturan ditolak: kiosk config: village must be"),
        (
            ["--village", "kemlagi", "--wifi-password", "pendek"],
            "Error: pengaturan ditolak: kiosk config: wifi_password must be empty",
        ),
        (
            ["--village", "kemlagi", "--printer", "bogus"],
            "Error: pengaturan ditolak: printer: unknown type 'bogus'",
        ),
        (["--village", "kemlagi", "--channel", "13"], "Error: kanal 13"),
        (["--village", "kemlagi", "--printer", "usb"], "Error: --printer usb perlu --printer-usb"),
        (["--village", "kemlagi", "--button", "17"], "Error: --button '17' tidak sah"),
        (["--village", "kemlagi", "--enroll", "12345"], "Error: kode pendaftaran tidak sah"),
    ],
)
def test_bad_flags_exit_2_with_a_plain_message(installer, tmp_path, args, message):
    run, _ = installer
    result = run("--root", str(tmp_path / "root"), *args, check=False)
    assert result.returncode == 2
    assert message in result.stderr


def _shell_scripts() -> list[Path]:
    scripts = []
    for folder in ["deploy", "scripts"]:
        for path in sorted((REPO / folder).rglob("*")):
            if path.is_file() and path.read_bytes()[:2] == b"#!":
                first = path.read_text().splitlines()[0]
                if re.search(r"\b(ba|da)?sh\b", first):
                    scripts.append(path)
    return scripts


def test_shell_scripts_are_found():
    names = {p.name for p in _shell_scripts()}
    assert {"install.sh", "90-kiosk-sync", "install-test-deps"} <= names


@pytest.mark.parametrize("script", _shell_scripts(), ids=lambda p: str(p.relative_to(REPO)))
def test_shellcheck_clean(script):
    result = subprocess.run(
        [require_tool("shellcheck"), "--external-sources", str(script)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout


def _dnsmasq_test(conf: Path) -> None:
    result = subprocess.run(
        [require_tool("dnsmasq"), "--test", f"--conf-file={conf}"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert "syntax check OK" in result.stderr + result.stdout


def test_captive_dns_dropin_passes_dnsmasq_test():
    _dnsmasq_test(CAPTIVE_CONF)
    text = CAPTIVE_CONF.read_text()
    assert "address=/#/10.42.0.1" in text.splitlines()
    assert "address=/dns.msftncsi.com/131.107.255.255" in text.splitlines()


def test_installed_dns_dropin_passes_dnsmasq_test(installer, tmp_path):
    run, _ = installer
    root = tmp_path / "root"
    run("--root", str(root), "--village", "kemlagi")
    _dnsmasq_test(root / "etc/NetworkManager/dnsmasq-shared.d/kiosk-captive.conf")


def test_guard_blocks_routing_and_ssh_by_default(installer, tmp_path):
    run, _ = installer
    root = tmp_path / "root"
    run("--root", str(root), "--village", "kemlagi", "--wifi-iface", "wlan1")
    rules = (root / "etc/kiosk/kiosk-guard.nft").read_text()
    assert 'iifname "wlan1" drop' in rules and 'oifname "wlan1" drop' in rules
    assert '"wlan0"' not in rules
    assert "dport 22 accept" not in rules


def test_guard_rules_parse_with_nft(installer, tmp_path):
    nft = require_tool("nft")
    run, _ = installer
    for flags in [[], ["--ssh-on-hotspot"]]:
        root = tmp_path / f"root{len(flags)}"
        run("--root", str(root), "--village", "kemlagi", *flags)
        result = subprocess.run(
            [nft, "--check", "--file", str(root / "etc/kiosk/kiosk-guard.nft")],
            capture_output=True,
            text=True,
            timeout=30,
        )
        if "Operation not permitted" in result.stderr:
            pytest.skip("nft --check needs CAP_NET_ADMIN (run the tests as root)")
        assert result.returncode == 0, result.stderr


def test_folder_printer_config_is_what_the_printer_reads(installer, tmp_path):
    from kiosk.config import load_config
    from kiosk.printer.backends import make_backend

    run, _ = installer
    root = tmp_path / "root"
    run("--root", str(root), "--village", "kemlagi", "--printer", "folder")
    config = load_config(root / "etc/kiosk/kiosk.toml", env={})
    backend = make_backend(config)  # a wrong key is a ConfigError: kiosk-printer would not start
    assert backend.describe() == "folder /var/lib/kiosk/slips"


def test_plain_debian_gets_every_tool_the_installer_calls(installer, tmp_path):
    run, _ = installer
    out = run("--root", str(tmp_path / "root"), "--village", "kemlagi").stdout
    apt = next(line for line in out.splitlines() if "'apt-get' 'install'" in line)
    for package in ["'iw'", "'nftables'", "'dnsmasq-base'", "'network-manager'", "'curl'"]:
        assert package in apt, package
    # The venv's newer wheels would only shadow these Debian packages.
    for shadowed in ["python3-urllib3", "python3-securesystemslib"]:
        assert shadowed not in apt


def test_wired_hotspot_profile_has_no_radio(installer, tmp_path):
    run, _ = installer
    root = tmp_path / "root"
    out = run("--root", str(root), "--village", "kemlagi", "--wifi-iface", "eth0",
              "--wired-hotspot").stdout  # fmt: skip
    profile = (root / "etc/NetworkManager/system-connections/kiosk-ap.nmconnection").read_text()
    assert "type=ethernet" in profile and "interface-name=eth0" in profile
    assert "[wifi]" not in profile and "method=shared" in profile
    assert "do_wifi_country" not in out and "'iw'" not in out.split("Hotspot")[-1]


DISPATCHER = REPO / "deploy" / "nm-dispatcher" / "90-kiosk-sync"


@pytest.mark.parametrize(
    ("args", "connection", "starts"),
    [
        (["eth0", "up"], "Wired connection 1", True),
        (["usb0", "up"], "HP tethering", True),
        (["wlan0", "up"], "kiosk-ap", False),
        (["wlan0", "down"], "kiosk-ap", False),
        (["", "connectivity-change"], None, False),  # fires when the hotspot goes down too
        (["eth0", "dhcp4-change"], "Wired connection 1", False),
        (["eth0", "up"], None, False),
    ],
)
def test_dispatcher_syncs_only_when_an_uplink_comes_up(tmp_path, args, connection, starts):
    log = tmp_path / "systemctl.log"
    stub = tmp_path / "systemctl"
    stub.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\n')
    stub.chmod(0o755)
    env = {"PATH": f"{tmp_path}:/usr/bin:/bin"}
    if connection is not None:
        env["CONNECTION_ID"] = connection
    result = subprocess.run(["sh", str(DISPATCHER), *args], env=env, timeout=10)
    assert result.returncode == 0
    calls = log.read_text().splitlines() if log.exists() else []
    assert calls == (["start --no-block kiosk-sync.service"] if starts else [])


CONNECTIONS_PROBE = """
import socket
server = socket.create_server(("127.0.0.1", 80), backlog=128)
held, refused = [], 0
for _ in range(40):
    try:
        sock = socket.create_connection(("127.0.0.1", 80), timeout=2)
        held.append((sock, server.accept()[0]))
    except OSError:
        refused += 1
print(len(held), refused)
"""


def test_guard_caps_web_connections_per_address(installer, tmp_path):
    """The rules loaded in a private network namespace, "lo" standing in for the hotspot:
    one address gets 24 connections to port 80, and the rest are refused."""
    from kiosk.web.server import Limits

    nft, unshare = require_tool("nft"), require_tool("unshare")
    run, _ = installer
    root = tmp_path / "root"
    run("--root", str(root), "--village", "kemlagi", "--wifi-iface", "lo")
    rules = root / "etc/kiosk/kiosk-guard.nft"
    cap = int(re.search(r"ip saddr ct count over (\d+)", rules.read_text()).group(1))
    assert cap >= Limits().per_client, "the kernel must not cut what the server allows"
    script = f"ip link set lo up && {nft} -f {rules} && exec python3 -c '{CONNECTIONS_PROBE}'"
    result = subprocess.run(
        [unshare, "--net", "sh", "-c", script], capture_output=True, text=True, timeout=60
    )
    if result.returncode and "Operation not permitted" in result.stderr:
        pytest.skip("a network namespace needs root")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(cap), str(40 - cap)]
