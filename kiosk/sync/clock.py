"""The time floor: a kiosk's idea of "now" never goes backwards.

A Pi has no real-time clock. After a power cut it may boot in 1970 or at the last
fake-hwclock save, and NTP may be unreachable for weeks. python-tuf judges expiry
against the system clock, so a clock that is behind would accept metadata that a
replaying attacker has kept (a freeze attack).

So the sync judges expiry at ``max(system clock, floor)``. The floor is raised after
every verified sync to the newest of: the system clock then, and the issue time the
hub signs into timestamp.json. It is stored atomically and only ever moves forward.
A clock that is ahead only blocks *accepting* updates; serving never looks at time.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..fsutil import atomic_write_json

FILE_NAME = "time-floor.json"


def _parse(value: object) -> datetime | None:
    try:
        when = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except (TypeError, ValueError, AttributeError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


class TimeFloor:
    """The persisted floor in ``folder/time-floor.json``."""

    def __init__(self, folder: str | Path, writer: Callable[[Path, Any], None] = atomic_write_json):
        self.path = Path(folder) / FILE_NAME
        self.writer = writer

    def get(self) -> datetime | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # never written, or unreadable: the system clock alone decides
        return _parse(data.get("floor")) if isinstance(data, dict) else None

    def effective_now(self, now: datetime) -> datetime:
        """The time to judge expiry at: the system clock, but never before the floor."""
        floor = self.get()
        return max(now, floor) if floor else now

    def clock_behind(self, now: datetime) -> bool:
        floor = self.get()
        return floor is not None and now < floor

    def raise_to(self, *candidates: datetime | str | None) -> datetime | None:
        """Move the floor up to the newest candidate (never down); return the floor."""
        floor = self.get()
        newest = floor
        for candidate in candidates:
            when = _parse(candidate) if isinstance(candidate, str) else candidate
            if when is not None and (newest is None or when > newest):
                newest = when
        if newest is not None and newest != floor:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.writer(self.path, {"floor": newest.astimezone(UTC).isoformat()})
        return newest
