"""The ``health`` record: how this kiosk is doing, collected from what is already there.

Sources, each optional (a field the board or OS cannot tell is null, never a guess):
the status files the daemons write (sync, printer; issue 17's roll fields in the
printer's), the disk, /proc/uptime, the thermal zone, the firmware's throttling flags
(``vcgencmd get_throttled``, or the sysfs file the firmware driver exposes), the clock
state, and the outbox. "Slips since last report" is the printer's counter minus the
value at the previous report (kept in ``<state>/reports/health-memo.json``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from .. import __version__
from ..config import Config
from ..fsutil import atomic_write_json
from ..status import read_status
from . import clockstate

THERMAL = Path("/sys/class/thermal/thermal_zone0/temp")
THROTTLED_SYSFS = Path("/sys/devices/platform/soc/soc:firmware/get_throttled")
UPTIME = Path("/proc/uptime")
MEMO = "health-memo.json"

# Bits of the firmware's get_throttled value (Raspberry Pi documentation).
THROTTLE_BITS = {
    "under_voltage": 0,
    "freq_capped": 1,
    "throttled": 2,
    "soft_temp_limit": 3,
    "under_voltage_occurred": 16,
    "freq_capped_occurred": 17,
    "throttled_occurred": 18,
    "soft_temp_limit_occurred": 19,
}
PRINTER_STATES = {"ready": "ok", "printing": "ok", "no-paper": "no_paper", "missing": "offline"}


def collect_health(config: Config, outbox_stats: dict[str, int]) -> dict[str, Any]:
    """A complete ``health`` body for this moment."""
    from ..sync.clock import TimeFloor

    sync = (read_status(config, "sync") or {}).get("details") or {}
    floor = TimeFloor(config.state_path / "sync").get()
    failed = not (read_status(config, "sync") or {}).get("ok", True)
    return {
        "app_version": __version__,
        "catalog_version": _int(sync.get("version")),
        "sync": {
            "last_ok": _iso(sync.get("last_success")),
            "last_error": (sync.get("reason") or None) if failed else None,
            "last_error_at": _iso(sync.get("last_attempt")) if failed else None,
        },
        "printer": printer_health(config),
        "disk_free_mb": _disk_free_mb(config.state_path),
        "uptime_s": _uptime(),
        "cpu_temp_c": _cpu_temp(),
        "throttled": throttled(),
        "clock": {
            "state": clockstate.clock_state(floor),
            "floor": _iso(floor and floor.isoformat()),
        },
        "outbox": {"records": outbox_stats["records"], "bytes": outbox_stats["bytes"]},
    }


def printer_state(details: dict[str, Any] | None) -> str:
    """The health record's printer state from the printer daemon's status details
    (None: no printer daemon has ever written one)."""
    if details is None:
        return "none"
    state = PRINTER_STATES.get(str(details.get("state")), "offline")
    if state == "ok" and details.get("paper_low"):
        state = "paper_low"
    return state


def printer_details(config: Config) -> dict[str, Any] | None:
    status = read_status(config, "printer")
    return None if status is None else (status.get("details") or {})


def printer_health(config: Config) -> dict[str, Any]:
    details = printer_details(config)
    if details is None:
        return {"state": "none", "slips_since_last": 0, "paper_left_mm": None}
    state = printer_state(details)
    printed = _int(details.get("printed_total", details.get("printed_since_start"))) or 0
    memo_path = config.state_path / "reports" / MEMO
    try:
        memo = json.loads(memo_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        memo = {}
    before = _int(memo.get("printed")) or 0
    since = printed - before if printed >= before else printed  # the daemon restarted
    try:
        memo_path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_json(memo_path, {"printed": printed})
    except OSError:
        pass
    return {
        "state": state,
        "slips_since_last": since,
        "paper_left_mm": _int(details.get("paper_left_mm")),
    }


def throttled(run: Any = subprocess.run) -> dict[str, bool] | None:
    """The firmware's throttling flags, or None off a Raspberry Pi."""
    value = None
    try:
        value = int(THROTTLED_SYSFS.read_text(encoding="ascii").strip(), 16)
    except (OSError, ValueError):
        tool = shutil.which("vcgencmd")
        if tool:
            try:
                out = run([tool, "get_throttled"], capture_output=True, text=True, timeout=5)
                value = int(out.stdout.strip().split("=")[1], 16)
            except (OSError, ValueError, IndexError, subprocess.SubprocessError):
                value = None
    if value is None:
        return None
    return {name: bool(value >> bit & 1) for name, bit in THROTTLE_BITS.items()}


def _disk_free_mb(path: Path) -> int:
    target = path if path.exists() else path.parent
    return int(shutil.disk_usage(target).free // (1024 * 1024))


def _uptime() -> int:
    try:
        return int(float(UPTIME.read_text(encoding="ascii").split()[0]))
    except (OSError, ValueError, IndexError):
        return int(clockstate.mono())


def _cpu_temp() -> float | None:
    try:
        return round(int(THERMAL.read_text(encoding="ascii").strip()) / 1000, 1)
    except (OSError, ValueError):
        return None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _iso(value: Any) -> str | None:
    return value if isinstance(value, str) and value and value != "never" else None
