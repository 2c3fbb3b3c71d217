"""Armada: one row per village from its latest health report, and what needs a technician.

Pure: the view reads the latest report per kiosk from the database and this module
turns it into a row. A kiosk is *online* when it reported within 3 report intervals,
*offline* after that (Mender/balena practice: never from one missed beat), and
*degraded* when online but something on it needs attention.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

ONLINE, DEGRADED, OFFLINE, NEVER = "online", "degraded", "offline", "never"
MISSED_BEATS = 3
LOW_DISK_MB = 500
HOT_C = 80.0
BACKLOG_RECORDS = 1000
SLIP_MM = 150  # a typical checklist slip; a 58 mm x 30 m roll gives ~200
PAPER_LOW_MM = 3000  # ~20 slips left


@dataclass(frozen=True)
class Problem:
    code: str  # key into text.PROBLEMS
    red: bool  # a technician should go


@dataclass(frozen=True)
class FleetRow:
    village_id: str
    village_name: str
    status: str
    last_seen: datetime | None
    health: Mapping[str, Any] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()

    @property
    def red(self) -> bool:
        return self.status == OFFLINE or any(p.red for p in self.problems)

    def get(self, *path: str) -> Any:
        """A nested health value, or None."""
        value: Any = self.health
        for key in path:
            if not isinstance(value, Mapping):
                return None
            value = value.get(key)
        return value


@dataclass(frozen=True)
class FleetCells:
    """What the Armada table shows of a row's health, looked up once per row: the
    template reads plain attributes (a dozen nested look-ups per row from Jinja cost
    more than the whole database query at 300 kiosks)."""

    sync: Mapping[str, Any]
    catalog_version: Any
    app_version: Any
    printer_state: Any
    slips_since_last: Any
    slips_left: int | None
    disk_free_mb: Any
    cpu_temp_c: Any
    under_voltage: Any
    clock_state: Any
    outbox_records: Any


def cells(row: FleetRow) -> FleetCells:
    return FleetCells(
        sync=row.get("sync") or {},
        catalog_version=row.get("catalog_version"),
        app_version=row.get("app_version"),
        printer_state=row.get("printer", "state"),
        slips_since_last=row.get("printer", "slips_since_last"),
        slips_left=slips_left(row.health),
        disk_free_mb=row.get("disk_free_mb"),
        cpu_temp_c=row.get("cpu_temp_c"),
        under_voltage=row.get("throttled", "under_voltage"),
        clock_state=row.get("clock", "state"),
        outbox_records=row.get("outbox", "records"),
    )


def slips_left(health: Mapping[str, Any]) -> int | None:
    """Paper hint: about how many slips the roll still holds."""
    left = (health.get("printer") or {}).get("paper_left_mm")
    return None if not isinstance(left, int) else max(left, 0) // SLIP_MM


def _problems(health: Mapping[str, Any]) -> list[Problem]:
    found: list[Problem] = []
    sync = health.get("sync") or {}
    if sync.get("last_error") and (sync.get("last_error_at") or "") > (sync.get("last_ok") or ""):
        found.append(Problem("sync_failed", False))
    printer = health.get("printer") or {}
    state = printer.get("state")
    if state in ("no_paper", "offline"):
        found.append(Problem(f"printer_{state}", True))
    elif state == "paper_low" or (printer.get("paper_left_mm") or PAPER_LOW_MM) < PAPER_LOW_MM:
        found.append(Problem("paper_low", False))
    disk = health.get("disk_free_mb")
    if isinstance(disk, int | float) and disk < LOW_DISK_MB:
        found.append(Problem("disk_low", True))
    temp = health.get("cpu_temp_c")
    if isinstance(temp, int | float) and temp >= HOT_C:
        found.append(Problem("hot", True))
    throttled = health.get("throttled") or {}
    if throttled.get("under_voltage"):
        found.append(Problem("under_voltage", True))
    clock = (health.get("clock") or {}).get("state")
    if clock in ("behind", "unknown"):
        found.append(Problem(f"clock_{clock}", clock == "behind"))
    backlog = (health.get("outbox") or {}).get("records")
    if isinstance(backlog, int) and backlog >= BACKLOG_RECORDS:
        found.append(Problem("backlog", False))
    return found


def fleet_row(
    *,
    village_id: str,
    village_name: str,
    last_seen: datetime | None,
    health: Mapping[str, Any] | None,
    now: datetime,
    report_interval: timedelta,
) -> FleetRow:
    """The console row of one village's kiosk."""
    if last_seen is None:
        return FleetRow(village_id, village_name, NEVER, None)
    health = health or {}
    problems = tuple(_problems(health))
    if now - last_seen > report_interval * MISSED_BEATS:
        status = OFFLINE
    elif problems:
        status = DEGRADED
    else:
        status = ONLINE
    return FleetRow(village_id, village_name, status, last_seen, health, problems)


def fleet_order(rows: list[FleetRow]) -> list[FleetRow]:
    """Red first, then never seen, then by village name."""
    rank = {OFFLINE: 0, DEGRADED: 1, NEVER: 2, ONLINE: 3}
    return sorted(rows, key=lambda r: (not r.red, rank[r.status], r.village_name))
