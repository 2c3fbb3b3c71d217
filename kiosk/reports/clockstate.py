"""Where in time a kiosk is: boot id, a monotonic stamp, and whether its clock is trusted.

A Pi has no real-time clock, so its wall clock may say 1970 or next year. Every record
therefore also carries the boot id and seconds since boot (CLOCK_BOOTTIME), which the
hub turns into a real time with its own clock (docs/reports.md, "Time").
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

BOOT_ID_FILE = Path("/proc/sys/kernel/random/boot_id")
# systemd-timesyncd creates this file once the clock is synchronised (NTP).
TIMESYNC_FLAG = Path("/run/systemd/timesync/synchronized")

_boot_id: str | None = None


def boot_id() -> str:
    """This boot's id (random per boot, from the kernel); stable within a process."""
    global _boot_id
    if _boot_id is None:
        try:
            _boot_id = BOOT_ID_FILE.read_text(encoding="ascii").strip().replace("-", "")
        except OSError:  # not Linux: one id per process is the honest fallback
            import uuid

            _boot_id = uuid.uuid4().hex
    return _boot_id


def mono() -> float:
    """Seconds since boot, counting suspend; the same in every process of this boot."""
    clock = getattr(time, "CLOCK_BOOTTIME", time.CLOCK_MONOTONIC)
    return round(time.clock_gettime(clock), 3)


def wall_iso(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")


def clock_state(floor: datetime | None, now: datetime | None = None) -> str:
    """``ok`` (NTP synchronised), ``behind`` (earlier than a time the hub signed), or
    ``unknown`` (no way to tell: the hub will place records by its own clock)."""
    now = now or datetime.now(UTC)
    if floor is not None and now < floor:
        return "behind"
    if TIMESYNC_FLAG.exists():
        return "ok"
    return "unknown"
