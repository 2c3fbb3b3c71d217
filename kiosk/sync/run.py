"""One sync cycle, end to end, and its status in plain words.

lock → recover leftovers → TUF refresh (judged at the time floor) → unchanged? stop
(nothing parsed) → refuse known-bad or older → download the smallest signed form to
staging and rebuild the release (transfer.py) → activate → raise the time floor → status.
Any failure leaves the last good catalog in place and says why.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from tuf.ngclient.fetcher import FetcherInterface

from ..catalog.model import Catalog
from ..config import Config
from ..errors import SyncBusy, SyncError
from ..fsutil import atomic_write_bytes
from ..status import read_status, write_status
from ..voice.statuses import update_statuses
from .activate import Activator
from .client import HubClient, default_fetcher, explain, hub_base
from .clock import TimeFloor
from .lock import SyncLock
from .transfer import Fetched, fetch_release

log = logging.getLogger(__name__)
NO_HUB = "no hub configured: set hub_url, or run 'kiosk sync --from DIR_OR_URL'"


@dataclasses.dataclass
class SyncResult:
    ok: bool
    changed: bool
    version: int  # the catalog version being served after this sync
    summary: str
    reason: str = ""
    fetcher: FetcherInterface | None = None  # its .stats tell what went over the wire


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="seconds")


def sync_dir(config: Config) -> Path:
    return config.state_path / "sync"


HealthCheck = Callable[[Catalog], object]


def run_sync(
    config: Config,
    source: str | None = None,
    *,
    fetcher: FetcherInterface | None = None,
    writer: Callable[[Path, bytes], None] = atomic_write_bytes,
    health_check: HealthCheck | None = None,
    checkpoint: Callable[[str], None] | None = None,
    now: Callable[[], datetime] = _utcnow,
) -> SyncResult:
    """Sync from ``source`` (URL or folder; default: the hub_url setting)."""
    folder = sync_dir(config)
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(SyncLock(folder / "lock"))
        except SyncBusy as exc:
            # The running sync will write the status; writing ours would race with it.
            return SyncResult(False, False, -1, str(exc), reason=str(exc))
        activator = Activator(
            config, writer=writer, health_check=health_check, checkpoint=checkpoint
        )
        cycle = _Cycle(config, source or config.hub_url, folder, activator, now())
        return cycle.run(fetcher, checkpoint or (lambda name: None))


@dataclasses.dataclass
class _Cycle:
    """One sync cycle under the lock: its inputs, and the status it leaves behind."""

    config: Config
    source: str
    folder: Path
    activator: Activator
    started: datetime
    clock_note: str = ""
    statuses_note: str = ""
    fetched_note: str = ""

    def run(
        self, fetcher: FetcherInterface | None, checkpoint: Callable[[str], None]
    ) -> SyncResult:
        for note in self.activator.store.recover():
            log.warning("recovered after an interrupted sync: %s", note)
        staging = self.folder / "staging"
        shutil.rmtree(staging, ignore_errors=True)
        floor = TimeFloor(self.folder)
        self._note_clock(floor)
        try:
            if not self.source:
                raise SyncError(NO_HUB)
            fetcher = fetcher or self._default_fetcher()
            changed = self._update(floor, fetcher, staging, checkpoint)
        except Exception as exc:  # the edge: every failure becomes a plain reason
            if not isinstance(exc, SyncError):
                log.debug("sync failed", exc_info=True)
            return self._failed(explain(exc), fetcher)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        version = self.activator.current()[0]
        summary = (
            f"Catalog updated to version {version} from {self.source} ({self.fetched_note})."
            if changed
            else f"Catalog is up to date (version {version}); checked {self.source}."
        ) + f" {self.statuses_note[:1].upper()}{self.statuses_note[1:]}."
        self._report(summary, ok=True, version=version, reason="")
        return SyncResult(True, changed, version, summary, "", fetcher)

    def _note_clock(self, floor: TimeFloor) -> None:
        if floor.clock_behind(self.started):
            self.clock_note = (
                f"system clock ({_iso(self.started)}) is behind the last verified time "
                f"({_iso(floor.get() or self.started)}); expiry judged at the latter"
            )
            log.warning(self.clock_note)

    def _default_fetcher(self) -> FetcherInterface:
        from ..reports.beat import beat_header

        config = self.config
        return default_fetcher(
            hub_base(self.source),
            config.sync_connect_timeout,
            config.sync_read_timeout,
            config.sync_max_seconds,
            beat=beat_header(config),  # the hub's fleet view: alive (docs/reports.md)
        )

    def _update(
        self,
        floor: TimeFloor,
        fetcher: FetcherInterface,
        staging: Path,
        checkpoint: Callable[[str], None],
    ) -> bool:
        """Refresh the metadata and install the offered release; True if it changed."""
        root = _trust_root(self.config)
        client = HubClient(hub_base(self.source), root, self.config.state_path / "tuf", fetcher)
        offer = client.offer(judge_at=floor.effective_now(self.started))
        if offer is None:
            raise SyncError("the hub has no catalog published yet ('kiosk hub publish')")
        # Verified and unexpired at the floor: safe to move the floor forward.
        floor.raise_to(self.started, offer.issued)
        _take_report_key(client, self.config, staging)
        changed = not self.activator.is_current(offer.sha256)
        if changed:
            self.activator.check_offer(offer.version, offer.sha256)
            staging.mkdir(parents=True, exist_ok=True)
            fetched = fetch_release(client, offer, self.activator.held(), staging, checkpoint)
            self.fetched_note = _fetched_note(fetched)
            checkpoint("sync:staged")
            self.activator.install(fetched.data, offer.version, offer.sha256)
        # Complaint statuses ride the same verified metadata; they never fail the catalog.
        self.statuses_note = update_statuses(client, self.config, staging)
        return changed

    def _failed(self, reason: str, fetcher: FetcherInterface | None) -> SyncResult:
        version = self.activator.current()[0]
        summary = f"Update refused or failed: {reason}. Still serving catalog version {version}."
        self._report(summary, ok=False, version=version, reason=reason)
        return SyncResult(False, False, version, summary, reason, fetcher)

    def _report(self, summary: str, *, ok: bool, version: int, reason: str) -> None:
        """Write the sync status file; a full disk must not hide the real outcome."""
        previous = (read_status(self.config, "sync") or {}).get("details") or {}
        started = _iso(self.started)
        try:
            write_status(
                self.config,
                "sync",
                summary,
                ok,
                last_attempt=started,
                last_success=started if ok else previous.get("last_success", "never"),
                version=version,
                reason=reason,
                source=self.source or "",
                clock=self.clock_note,
            )
        except OSError as exc:
            log.error("cannot write sync status: %s", exc)


def _fetched_note(fetched: Fetched) -> str:
    """How the release came, for the status: e.g. "patch from 3, 412 bytes"."""
    note = f"{fetched.form}, {fetched.size:,} bytes"
    if fetched.refused:
        note += "; refused first: " + "; ".join(fetched.refused)
    return note


def _take_report_key(client: HubClient, config: Config, staging: Path) -> None:
    """The hub's report key rides the same verified metadata (docs/reports.md)."""
    import hashlib

    from ..reports.hubkey import TARGET_NAME, key_path, store_hub_key

    try:
        have = hashlib.sha256(key_path(config.state_path).read_bytes()).hexdigest()
    except OSError:
        have = None
    data = client.fetch_file(TARGET_NAME, staging, have)
    if data is not None:
        store_hub_key(config.state_path, data)
        log.info("received the hub's report key")


def _trust_root(config: Config) -> bytes:
    if not config.trust_root:
        raise SyncError("no trust root configured: set trust_root to the hub's 1.root.json")
    try:
        return Path(config.trust_root).read_bytes()
    except OSError as exc:
        raise SyncError(f"trust root {config.trust_root} cannot be read ({exc.strerror})") from None
