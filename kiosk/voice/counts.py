"""Demand counts: counted in memory, flushed once an hour to the outbox as ``counts``.

What is counted (never who): per service and hour, page views, slips printed (button or
site), "sesuai?" answers and surveys; searches that found nothing, normalised with every
digit removed (an NIK or phone number typed into search never leaves the kiosk) and cut
to 40 characters; and how many phones opened the portal. A phone's address is held in
memory only for that last count, for the hour, and only the number leaves.

Each process counts what it sees: the web its pages and forms, the printer daemon the
slips it actually printed. Both append their own ``counts`` records; the hub adds up
records of the same hour. A counter flushes every finished hour (a timer) and
everything when its process stops, so a power cut loses at most the current hour.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..catalog.search import normalize

if TYPE_CHECKING:
    from ..outbox import Outbox

log = logging.getLogger(__name__)

NO_HIT_CHARS = 40
MAX_NO_HIT = 200  # distinct queries per hour (records.py allows 200)
MAX_SERVICES = 500
MAX_PHONES = 4096  # distinct phones remembered per hour for the portal count


def no_hit_key(query: str) -> str:
    """A search that found nothing, as it may leave the kiosk: no digits, ≤ 40 chars."""
    text = " ".join(re.sub(r"\d+", " ", normalize(query)).split())
    return text[:NO_HIT_CHARS].strip()


def hour_of(now: datetime) -> str:
    return now.astimezone(UTC).replace(minute=0, second=0, microsecond=0).isoformat()


class _Bucket:
    def __init__(self, mono_start: float):
        self.mono_start = mono_start
        self.services: dict[str, dict[str, int]] = {}
        self.no_hit: dict[str, int] = {}
        self.phones: set[str] = set()

    def empty(self) -> bool:
        return not (self.services or self.no_hit or self.phones)

    def body(self, hour: str, boot_id: str) -> dict[str, Any]:
        return {
            "hour": hour,
            "mono_start": self.mono_start,
            "boot_id": boot_id,
            "services": self.services,
            "no_hit": self.no_hit,
            "portal_opens": len(self.phones),
        }


class DemandCounter:
    def __init__(
        self,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        mono: Callable[[], float] | None = None,
        boot_id: Callable[[], str] | None = None,
    ):
        self.now = now
        from ..reports import clockstate  # the stamps every record of this boot shares

        self.mono = mono or clockstate.mono
        self.boot_id = boot_id or clockstate.boot_id
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def _bucket(self) -> _Bucket:
        hour = hour_of(self.now())
        bucket = self._buckets.get(hour)
        if bucket is None:
            bucket = self._buckets[hour] = _Bucket(self.mono())
        return bucket

    def add(self, service_id: str | None, metric: str, n: int = 1) -> None:
        """One more ``metric`` for ``service_id`` this hour (None: not about a service)."""
        if not service_id:
            return
        with self._lock:
            services = self._bucket().services
            if service_id in services or len(services) < MAX_SERVICES:
                metrics = services.setdefault(service_id, {})
                metrics[metric] = metrics.get(metric, 0) + n

    def search_found_nothing(self, query: str) -> None:
        key = no_hit_key(query)
        if len(key) < 2:
            return
        with self._lock:
            no_hit = self._bucket().no_hit
            if key in no_hit or len(no_hit) < MAX_NO_HIT:
                no_hit[key] = no_hit.get(key, 0) + 1

    def portal_opened(self, client: str) -> None:
        with self._lock:
            phones = self._bucket().phones
            if len(phones) < MAX_PHONES:
                phones.add(client)

    def take(self, *, everything: bool = False) -> list[dict[str, Any]]:
        """Remove and return the bodies of finished hours (all hours if ``everything``)."""
        current = hour_of(self.now())
        with self._lock:
            done = [h for h in self._buckets if everything or h != current]
            buckets = [(h, self._buckets.pop(h)) for h in sorted(done)]
        return [b.body(h, self.boot_id()) for h, b in buckets if not b.empty()]

    def flush(self, outbox: Outbox, *, everything: bool = False) -> int:
        """Append finished hours to ``outbox``; returns records written. A failed append
        is logged and its counts are dropped (counts must never block residents' records)."""
        written = 0
        for body in self.take(everything=everything):
            try:
                outbox.append("counts", body)
                written += 1
            except Exception as exc:  # noqa: BLE001 - a full disk must not stop the site
                log.error("cannot keep the counts of %s: %s", body["hour"], exc)
        return written


class Flusher:
    """A daemon thread that flushes a counter every ``interval`` seconds, and once more,
    with the current hour, on :meth:`stop`."""

    def __init__(self, counter: DemandCounter, outbox: Outbox, interval: float = 60.0):
        self.counter = counter
        self.outbox = outbox
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="counts-flush", daemon=True)

    def start(self) -> Flusher:
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.counter.flush(self.outbox)

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(5)
        self.counter.flush(self.outbox, everything=True)
