"""One print worker thread: takes jobs from a small queue and the spool, prints them.

Button callbacks only ``submit`` (put_nowait into a bounded queue). The worker turns a
job into slip bytes (pure layout + python-escpos Dummy) and hands them to the backend.
When the printer is missing or out of paper the job goes to the spool (so it survives
a restart), the worker backs off (1 s doubling to 30 s) and retries — it never raises
out of its loop. State changes are reported to ``on_state`` (the LED) and written to
``<state>/status/printer.json`` for ``kiosk status`` and the web.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable

from ..catalog.model import Catalog
from ..config import Config
from ..errors import PrinterUnavailable, SpoolJobInvalid
from ..slips.layout import Slip, index_slip, preview, service_slip, ticket_slip
from ..slips.render import DEFAULT_PROFILES, slip_bytes
from ..status import write_status
from .backends import PAPER_OUT, Backend
from .paper import paper_mm
from .roll import Roll
from .spool import SPOOL_LIMIT, Job, Spool

log = logging.getLogger(__name__)

READY, PRINTING, MISSING, NO_PAPER, STOPPED = "ready", "printing", "missing", "no-paper", "stopped"
PAPER_LOW = "paper-low"  # shown (LED) instead of READY while the roll count is low
QUEUE_SIZE = 3
POLL_SECONDS = 0.05  # how often an idle worker looks at the spool folder
BACKOFF_FIRST, BACKOFF_MAX = 1.0, 30.0
HEARTBEAT_SECONDS = 30.0  # status is rewritten at least this often (the web checks its age)


class PrintWorker:
    def __init__(
        self,
        config: Config,
        backend: Backend,
        catalog: Callable[[], Catalog],
        spool: Spool,
        *,
        on_state: Callable[[str], None] | None = None,
        on_printed: Callable[[Job], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        queue_size: int = QUEUE_SIZE,
    ):
        self.config = config
        self.backend = backend
        self.catalog = catalog
        self.spool = spool
        self.on_state = on_state or (lambda state: None)
        self.on_printed = on_printed or (lambda job: None)
        self.clock = clock
        self.queue: queue.Queue[Job] = queue.Queue(maxsize=queue_size)
        self.state = READY
        self.last_error = ""
        self.printed = 0
        self._backoff = 0.0
        self._retry_at = float("-inf")
        self._status_at = float("-inf")
        self._status_key: tuple | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.roll = Roll.for_config(config)
        self._paper_low = self.roll.current().low

    # -------------------------------------------------------------- callers

    def submit(self, job: Job) -> bool:
        """Queue a job without waiting (safe in a GPIO callback); False if the queue is full."""
        try:
            self.queue.put_nowait(job)
        except queue.Full:
            log.warning("print queue full; dropped %s", job.describe())
            return False
        return True

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run, name="print-worker", daemon=True)
        self._thread.start()

    def is_alive(self) -> bool:
        """Is the worker thread running (the watchdog's health check)?"""
        return self._thread is not None and self._thread.is_alive()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self.backend.close()
        self._set_state(STOPPED, force=True)

    def run(self) -> None:
        self._report(force=True)
        self.on_state(self.shown_state(self.state))
        while not self._stop.is_set():
            try:
                self.step()
            except Exception:  # noqa: BLE001 - the worker must outlive any bug in one job
                log.exception("print worker error; going on")
                self._stop.wait(1.0)

    # -------------------------------------------------------------- one round

    def step(self, wait: float = POLL_SECONDS) -> bool:
        """Print at most one job; True if one printed. Waits up to ``wait`` when idle."""
        job = self._next_job(wait)
        self._report()
        if job is None:
            return False
        return self._print(job)

    def _in_backoff(self) -> bool:
        return self.clock() < self._retry_at

    def _next_job(self, wait: float) -> Job | None:
        try:
            job = self.queue.get_nowait()
        except queue.Empty:
            job = None
        if job is not None and self._in_backoff():
            self._keep(job)  # the printer is away: park it in the spool, survive restarts
            return None
        if job is not None:
            return job
        if self._in_backoff():
            self._stop.wait(min(wait, max(0.0, self._retry_at - self.clock())))
            return None
        for path in self.spool.pending():
            try:
                return self.spool.load(path)
            except FileNotFoundError:
                continue  # printed by someone else or moved meanwhile
            except SpoolJobInvalid as exc:
                self.spool.reject(path, str(exc))
            except OSError as exc:
                log.error("cannot read print job %s: %s", path, exc)
                return None
        try:
            return self.queue.get(timeout=wait)
        except queue.Empty:
            return None

    def _keep(self, job: Job) -> Job:
        if job.path is not None:
            return job
        if self.spool.count() >= SPOOL_LIMIT:
            log.warning("spool full (%d jobs); dropped %s", SPOOL_LIMIT, job.describe())
            return job
        try:
            return self.spool.add(job)
        except OSError as exc:
            log.error("cannot spool %s, it is lost: %s", job.describe(), exc)
            return job

    def render(self, job: Job) -> Slip:
        """The slip for ``job``; SpoolJobInvalid if its service is not in the catalog."""
        catalog = self.catalog()
        if job.kind == "index":
            return index_slip(catalog, self.config)
        if job.kind == "ticket":
            return ticket_slip(catalog, job.ticket, self.config)
        service = catalog.service(job.service)
        if service is None:
            raise SpoolJobInvalid(
                f"unknown service {job.service!r} (not in catalog version {catalog.version})"
            )
        return service_slip(catalog, service, self.config)

    def _print(self, job: Job) -> bool:
        try:
            slip = self.render(job)
            data = slip_bytes(slip, self.backend.profile, self.backend.native_qr)
        except SpoolJobInvalid as exc:
            if job.path is not None:
                self.spool.reject(job.path, str(exc))
            else:
                log.warning("dropped print job %s: %s", job.describe(), exc)
            return False
        self._set_state(PRINTING)
        try:
            if self.backend.paper() == PAPER_OUT:
                raise PrinterUnavailable("out of paper")
            self.backend.write(data, name=slip.name, preview=preview(slip))
        except PrinterUnavailable as exc:
            self._failed(job, exc)
            return False
        self.spool.done(job)
        self.printed += 1
        self._count_paper(data)
        self.on_printed(job)
        self._backoff, self._retry_at, self.last_error = 0.0, float("-inf"), ""
        log.info("printed %s", job.describe())
        self._set_state(READY)
        return True

    def _count_paper(self, data: bytes) -> None:
        """Add the slip's length on paper to the roll count (roll.py)."""
        profile = self.backend.profile or DEFAULT_PROFILES[self.config.paper_width]
        try:
            self.roll.add(paper_mm(data, profile))
        except (OSError, ValueError) as exc:
            log.error("cannot count the paper of this slip: %s", exc)

    def shown_state(self, state: str) -> str:
        """What the LED shows: READY becomes PAPER_LOW while the roll count is low."""
        return PAPER_LOW if state == READY and self._paper_low else state

    def _failed(self, job: Job, exc: PrinterUnavailable) -> None:
        self.backend.close()
        self._keep(job)
        self._backoff = min(BACKOFF_MAX, self._backoff * 2 or BACKOFF_FIRST)
        self._retry_at = self.clock() + self._backoff
        reason = str(exc)
        if reason != self.last_error:
            log.error("printer unavailable: %s; will retry, slips wait", reason)
        self.last_error = reason
        self._set_state(NO_PAPER if "paper" in reason else MISSING)

    # -------------------------------------------------------------- status

    def _set_state(self, state: str, force: bool = False) -> None:
        changed = state != self.state
        self.state = state
        if changed:
            self.on_state(self.shown_state(state))
        if state != PRINTING:  # a slip takes seconds: not worth a status write before it
            self._report(force=force or changed)

    def waiting(self) -> int:
        return self.spool.count() + self.queue.qsize()

    def summary(self, waiting: int) -> str:
        slips = f"{waiting} slip{'s' if waiting != 1 else ''} waiting"
        where = self.backend.describe()
        if self.state == READY:
            return (
                f"Printer ready ({where}). {slips.capitalize() if waiting else 'No slips waiting'}."
            )
        if self.state == PRINTING:
            return f"Printing a slip ({where})."
        if self.state == STOPPED:
            return f"Printer daemon stopped. {slips.capitalize()}."
        retry = max(0.0, self._retry_at - self.clock())
        if self.state == NO_PAPER:
            return (
                f"Printer is out of paper: load a new roll. {slips.capitalize()}; "
                f"next try in {retry:.0f} s."
            )
        return (
            f"Printer not reachable: check its cable and power. {slips.capitalize()}; "
            f"next try in {retry:.0f} s."
        )

    def _report(self, force: bool = False) -> None:
        now = self.clock()
        waiting = self.waiting()
        paper = self.roll.current()
        if paper.low != self._paper_low:
            self._paper_low = paper.low
            self.on_state(self.shown_state(self.state))
        key = (self.state, waiting, self.last_error, paper)
        if not force and key == self._status_key and now - self._status_at < HEARTBEAT_SECONDS:
            return
        self._status_key, self._status_at = key, now
        try:
            write_status(
                self.config,
                "printer",
                " ".join(filter(None, (self.summary(waiting), paper.summary()))),
                self.state in (READY, PRINTING),
                state=self.state,
                queued=waiting,
                last_error=self.last_error or "none",
                printer=self.backend.describe(),
                printed_since_start=self.printed,
                **paper.fields(),
            )
        except OSError as exc:
            log.error("cannot write printer status: %s", exc)
