"""When the kiosk pushes its outbox: every ``report_every_hours``, sooner when it cannot wait.

Every push costs about 800 bytes on the wire whatever it carries (signature, sealing,
the hub's signed answer, HTTP headers) plus a health record, so a kiosk that pushed at
each hourly sync would spend several times its day's content on envelopes
(docs/performance.md). The hourly ``kiosk sync`` therefore pushes only when a push is
due, and says why (``kiosk status``):

- nothing was ever pushed from this state folder, or an enrollment code is waiting;
- a complaint (a priority record) is waiting: the kecamatan has days to answer it;
- the printer turned to a state a technician must act on (paper low, no paper, offline),
  or back from one (so the Armada view stops calling for a visit);
- the kiosk restarted since the last push: the hub anchors each boot's clock on a push
  (docs/reports.md, "Time"), so records of every boot are placed by the hub's clock;
- the outbox holds more than half its bound;
- ``report_every_hours`` have passed since the last push, counted on CLOCK_BOOTTIME
  within one boot, so a wrong wall clock cannot delay or hurry it.

In between, the catalog pull carries a signed heartbeat (``beat.py``), so the hub's
fleet view still sees the kiosk alive within the hour. A stick visit and
``kiosk enroll`` always deliver.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..config import Config
from ..fsutil import atomic_write_json
from . import clockstate
from .health import printer_details, printer_state

MEMO = Path("reports/last-push.json")
SLACK_S = 20 * 60  # the hourly timer wanders by up to 10 minutes each way
FULL_FRACTION = 0.5
PRINTER_FAULTS = ("paper_low", "no_paper", "offline")


def _memo(config: Config) -> dict[str, Any]:
    try:
        memo = json.loads((config.state_path / MEMO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return memo if isinstance(memo, dict) else {}


def push_reason(config: Config, stats: dict[str, int], *, enrolling: bool) -> str | None:
    """Why a push is due now (plain words), or None when it can wait for the next sync."""
    memo = _memo(config)
    if enrolling:
        return "an enrollment code is waiting"
    if not memo:
        return "first report from this kiosk"
    if stats.get("priority", 0):
        return "a complaint is waiting"
    printer, before = printer_state(printer_details(config)), memo.get("printer")
    if printer != before and printer in PRINTER_FAULTS:
        return f"the printer needs attention ({printer})"
    if printer != before and before in PRINTER_FAULTS:
        return f"the printer is back ({printer})"  # so the console stops calling for a visit
    if memo.get("boot_id") != clockstate.boot_id():
        return "the kiosk restarted since the last report"
    if stats.get("bytes", 0) > config.outbox_max_kb * 1024 * FULL_FRACTION:
        return "the outbox is more than half full"
    if seconds_to_wait(config, memo) <= 0:
        return f"{config.report_every_hours} h since the last report"
    return None


def seconds_since_push(config: Config, memo: dict[str, Any] | None = None) -> float | None:
    """Seconds since the hub answered the last push, if that was in this boot."""
    memo = _memo(config) if memo is None else memo
    mono = memo.get("mono")
    if memo.get("boot_id") != clockstate.boot_id() or not isinstance(mono, int | float):
        return None
    return clockstate.mono() - mono


def seconds_to_wait(config: Config, memo: dict[str, Any] | None = None) -> float:
    """Seconds until the next scheduled push (0 when due or unknown)."""
    elapsed = seconds_since_push(config, memo)
    if elapsed is None:
        return 0.0
    return max(0.0, config.report_every_hours * 3600 - SLACK_S - elapsed)


def remember_push(config: Config) -> None:
    """The hub answered a push: the next scheduled one is ``report_every_hours`` from now."""
    memo = {
        "boot_id": clockstate.boot_id(),
        "mono": clockstate.mono(),
        "kiosk_time": clockstate.wall_iso(),
        "printer": printer_state(printer_details(config)),
    }
    path = config.state_path / MEMO
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_json(path, memo)
