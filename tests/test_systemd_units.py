"""The systemd units in systemd/: they parse, they are hardened enough, they never give up.

Runs ``systemd-analyze verify`` and ``systemd-analyze security --offline=yes`` on
loose copies of the unit files (no PID 1 needed). Tools come from
scripts/install-test-deps; in CI (``CI`` set) a missing tool fails instead of skipping.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from .conftest import require_tool

REPO = Path(__file__).resolve().parents[1]
UNIT_DIR = REPO / "systemd"
UNITS = sorted(p.name for p in UNIT_DIR.iterdir() if p.suffix in {".service", ".socket", ".timer"})
SERVICES = [u for u in UNITS if u.endswith(".service")]
# Highest exposure allowed (as systemd-analyze prints it, 0-10).
EXPOSURE_LIMIT = {"kiosk-web.service": 2.0}
DEFAULT_EXPOSURE_LIMIT = 3.0
LONG_RUNNING = ["kiosk-web.service", "kiosk-printer.service"]
# A Pi Zero 2 W has 512 MB; the OS needs about 130 MB.
MEMORY_BUDGET_MB = 400


def _settings(text: str) -> dict[str, list[str]]:
    """Key -> every value it is given, across sections."""
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith(("#", ";", "[")) and "=" in line:
            key, value = line.split("=", 1)
            found.setdefault(key.strip(), []).append(value.strip())
    return found


def _unit(name: str) -> dict[str, list[str]]:
    return _settings((UNIT_DIR / name).read_text())


@pytest.fixture(scope="module")
def staged(tmp_path_factory) -> Path:
    """Copies of the units whose Exec binaries exist here (missing ones become stubs)."""
    root = tmp_path_factory.mktemp("units")
    stubs = root / "stubs"
    stubs.mkdir()
    exec_line = re.compile(r"^(Exec\w+=[-+@!:]*)(/\S+)", re.MULTILINE)

    def stub(match: re.Match) -> str:
        prefix, binary = match.groups()
        if os.access(binary, os.X_OK):
            return match.group(0)
        fake = stubs / Path(binary).name
        fake.write_text("#!/bin/sh\nexit 0\n")
        fake.chmod(0o755)
        return prefix + str(fake)

    for name in UNITS:
        (root / name).write_text(exec_line.sub(stub, (UNIT_DIR / name).read_text()))
    # Templates are checked through one instance, the way udev starts them.
    for name in UNITS:
        if name.endswith("@.service"):
            instance = name.replace("@.", "@sda1.")
            (root / instance).write_text((root / name).read_text())
    return root


def _instance(name: str) -> str:
    return name.replace("@.", "@sda1.")


@pytest.mark.parametrize("name", UNITS)
def test_unit_verifies(staged, name):
    analyze = require_tool("systemd-analyze")
    result = subprocess.run(
        [analyze, "verify", "--man=no", "--recursive-errors=yes", str(staged / _instance(name))],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr


def exposure(analyze: str, unit_file: Path) -> float:
    result = subprocess.run(
        [analyze, "security", "--offline=yes", "--no-pager", str(unit_file)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    match = re.search(r"Overall exposure level for \S+: (\d+\.\d+)", result.stdout)
    assert match, result.stdout + result.stderr
    return float(match.group(1))


@pytest.mark.parametrize("name", SERVICES)
def test_service_exposure_within_limit(staged, name):
    score = exposure(require_tool("systemd-analyze"), staged / _instance(name))
    limit = EXPOSURE_LIMIT.get(name, DEFAULT_EXPOSURE_LIMIT)
    assert score <= limit, f"{name}: exposure {score} > {limit}"


@pytest.mark.parametrize(
    "flags",
    [
        ["--printer", "serial"],
        ["--printer", "network", "--printer-host", "192.168.1.50"],
    ],
    ids=["serial", "network"],
)
def test_printer_dropins_keep_exposure_within_limit(staged, tmp_path, flags):
    """install.sh's per-printer drop-in widens the printer unit only a little."""
    root = tmp_path / "root"
    subprocess.run(
        [
            "bash",
            str(REPO / "deploy/install.sh"),
            "--root",
            str(root),
            "--village",
            "kemlagi",
            *flags,
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    dropin = root / "etc/systemd/system/kiosk-printer.service.d/10-printer-type.conf"
    merged = tmp_path / "kiosk-printer.service"
    merged.write_text((staged / "kiosk-printer.service").read_text() + "\n" + dropin.read_text())
    assert exposure(require_tool("systemd-analyze"), merged) <= DEFAULT_EXPOSURE_LIMIT


def test_web_service_has_no_root_no_devices_no_capabilities():
    web = _unit("kiosk-web.service")
    assert web["User"] == ["kiosk"]
    assert web["PrivateDevices"] == ["yes"]
    assert "DeviceAllow" not in web
    assert web["CapabilityBoundingSet"] == [""]
    assert web["AmbientCapabilities"] == [""]
    assert web["Requires"] == ["kiosk-web.socket"]
    assert _unit("kiosk-web.socket")["ListenStream"] == ["0.0.0.0:80"]


def test_printer_sees_only_gpio_and_usb_printers():
    printer = _unit("kiosk-printer.service")
    assert printer["User"] == ["kiosk"]
    assert printer["DevicePolicy"] == ["closed"]
    assert sorted(printer["DeviceAllow"]) == [
        "char-gpiochip rw",
        "char-usb rw",
        "char-usb_device rw",
    ]
    assert printer["PrivateNetwork"] == ["yes"]


@pytest.mark.parametrize("name", LONG_RUNNING)
def test_long_running_services_never_give_up(name):
    unit = _unit(name)
    assert unit["Restart"] == ["always"]
    assert unit["StartLimitIntervalSec"] == ["0"]


def test_socket_never_trips_its_trigger_limit():
    assert _unit("kiosk-web.socket")["TriggerLimitIntervalSec"] == ["0"]


def test_sync_timer_is_monotonic_with_random_delay():
    timer = _unit("kiosk-sync.timer")
    assert "OnCalendar" not in timer and "Persistent" not in timer
    assert timer["OnBootSec"] and timer["OnUnitActiveSec"]
    assert timer["RandomizedDelaySec"]


def _megabytes(value: str) -> float:
    number, unit = re.fullmatch(r"(\d+)([KMG]?)", value).groups()
    return int(number) * {"K": 1 / 1024, "M": 1, "G": 1024, "": 1 / 2**20}[unit]


def test_memory_caps_fit_a_pi_zero_2_w():
    caps = {name: _unit(name).get("MemoryMax") for name in SERVICES}
    assert all(caps.values()), f"every service needs MemoryMax: {caps}"
    worst_case = sum(
        _megabytes(_unit(name)["MemoryMax"][0])
        for name in ["kiosk-web.service", "kiosk-printer.service", "kiosk-sync.service"]
    )
    assert worst_case <= MEMORY_BUDGET_MB
