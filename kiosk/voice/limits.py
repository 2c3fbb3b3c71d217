"""In-memory budgets for the forms: nothing here is ever written to disk.

A phone is known only by its address on the hotspot, and only in memory, for the day:
a restart forgets everything (harmless: at worst one more answer from a phone).

- :class:`DailyQuota`: at most ``limit`` uses per key per day, e.g. one survey per
  phone, one "sesuai?" per phone per service. ``reserve`` before the slow write and
  ``release`` if it failed, so a double tap cannot slip two answers through.
- :class:`HourlyBudget`: a token bucket for the whole kiosk, so a script hopping
  addresses still cannot fill the outbox; refusals cost a dict lookup, and cached pages
  never wait on them (they are answered before any form code runs).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from datetime import date


class DailyQuota:
    def __init__(self, limit: int, today: Callable[[], date] = date.today, max_keys: int = 20_000):
        self.limit = limit
        self.max_keys = max_keys  # ~2 MB; beyond (an attack) new keys wait for tomorrow
        self.today = today
        self._day: date | None = None
        self._used: dict[Hashable, int] = {}
        self._lock = threading.Lock()

    def _roll(self) -> None:
        day = self.today()
        if day != self._day:
            self._day, self._used = day, {}

    def reserve(self, key: Hashable) -> bool:
        """Count one use of ``key`` today; False (and nothing counted) if it has none left."""
        with self._lock:
            self._roll()
            used = self._used.get(key, 0)
            if used >= self.limit or (not used and len(self._used) >= self.max_keys):
                return False
            self._used[key] = used + 1
            return True

    def release(self, key: Hashable) -> None:
        """Give back a use whose answer could not be kept."""
        with self._lock:
            used = self._used.get(key, 0)
            if used > 1:
                self._used[key] = used - 1
            else:
                self._used.pop(key, None)


class HourlyBudget:
    """At most ``per_hour`` takes in any hour on average, bursts up to ``per_hour``."""

    def __init__(self, per_hour: int, clock: Callable[[], float] = time.monotonic):
        self.capacity = float(per_hour)
        self.rate = per_hour / 3600.0
        self.clock = clock
        self._tokens = self.capacity
        self._at = clock()
        self._lock = threading.Lock()

    def take(self) -> bool:
        with self._lock:
            now = self.clock()
            self._tokens = min(self.capacity, self._tokens + (now - self._at) * self.rate)
            self._at = now
            if self._tokens < 1.0:
                return False
            self._tokens -= 1.0
            return True

    def give_back(self) -> None:
        with self._lock:
            self._tokens = min(self.capacity, self._tokens + 1.0)
