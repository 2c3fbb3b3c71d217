"""Jobs the hub runs by itself while it serves: delete expired complaint contacts (at
start, then daily) and fold new demand counts into the rollup (every few minutes).
``kiosk hub purge-contacts`` runs the first by hand or from a timer."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

import sqlalchemy as sa

from ..complaint_store import purge_contacts
from ..db import utcnow
from . import rollup, settings

log = logging.getLogger(__name__)
PURGE_EVERY = timedelta(days=1)
ROLLUP_EVERY = timedelta(minutes=5)


def purge_now(engine: sa.Engine, now: datetime) -> list[str]:
    with engine.connect() as conn:
        days = int(settings.load(conn)["contact_retention_days"])
    done = purge_contacts(engine, now=now, retention_days=days)
    if done:
        log.info("deleted the contacts of %d closed complaint(s)", len(done))
    return done


class Maintenance:
    """A daemon thread; ``stop()`` ends it (tests, shutdown)."""

    def __init__(
        self,
        engine: sa.Engine,
        *,
        now: Callable[[], datetime] = utcnow,
        tick: float = 60.0,
    ):
        self.engine = engine
        self.now = now
        self.tick = tick
        self._stop = threading.Event()
        self._last_purge: datetime | None = None
        self._last_rollup: datetime | None = None
        self.thread = threading.Thread(target=self._run, name="hub-maintenance", daemon=True)

    def start(self) -> Maintenance:
        self.run_due()  # at start: before the first request is served
        self.thread.start()
        return self

    def run_due(self) -> None:
        current = self.now()
        try:
            if self._last_purge is None or current - self._last_purge >= PURGE_EVERY:
                purge_now(self.engine, current)
                self._last_purge = current
            if self._last_rollup is None or current - self._last_rollup >= ROLLUP_EVERY:
                rollup.refresh(self.engine, now=current)
                self._last_rollup = current
        except sa.exc.SQLAlchemyError:  # the database is away: try again next tick
            log.exception("hub maintenance failed; retrying")

    def _run(self) -> None:
        while not self._stop.wait(self.tick):
            self.run_due()

    def stop(self) -> None:
        self._stop.set()
        self.thread.join(5)
