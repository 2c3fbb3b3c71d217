"""One sync cycle, end to end, and its status in plain words.

lock → recover leftovers → TUF refresh (judged at the time floor) → unchanged? stop
→ refuse known-bad or older → download to staging → activate → raise the time floor
→ status. Any failure leaves the last good catalog in place and says why.
"""

from __future__ import annotations

import dataclasses
import logging
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from ..config import Config
from ..errors import SyncBusy, SyncError
from ..fsutil import atomic_write_bytes
from ..status import read_status, write_status
from .activate import Activator
from .client import HubClient, default_fetcher, explain, hub_base
from .clock import TimeFloor
from .lock import SyncLock

log = logging.getLogger(__name__)


@dataclasses.dataclass
class SyncResult:
    ok: bool
    changed: bool
    version: int  # the catalog version being served after this sync
    summary: str
    reason: str = ""
    fetcher: object = None  # its .stats tell what went over the wire


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="seconds")


def sync_dir(config: Config) -> Path:
    return config.state_path / "sync"


def run_sync(
    config: Config,
    source: str | None = None,
    *,
    fetcher=None,
    writer: Callable[[Path, bytes], None] = atomic_write_bytes,
    health_check=None,
    checkpoint: Callable[[str], None] | None = None,
    now: Callable[[], datetime] = _utcnow,
) -> SyncResult:
    """Sync from ``source`` (URL or folder; default: the hub_url setting)."""
    source = source or config.hub_url
    folder = sync_dir(config)
    try:
        lock = SyncLock(folder / "lock").__enter__()
    except SyncBusy as exc:
        # The running sync will write the status; writing ours would race with it.
        return SyncResult(False, False, -1, str(exc), reason=str(exc))
    try:
        return _locked_sync(config, source, folder, fetcher, writer, health_check, checkpoint, now)
    finally:
        lock.__exit__(None, None, None)


def _locked_sync(config, source, folder, fetcher, writer, health_check, checkpoint, now):
    started = now()
    activator = Activator(config, writer=writer, health_check=health_check, checkpoint=checkpoint)
    for note in activator.store.recover():
        log.warning("recovered after an interrupted sync: %s", note)
    staging = folder / "staging"
    shutil.rmtree(staging, ignore_errors=True)
    floor = TimeFloor(folder)
    clock_note = ""
    if floor.clock_behind(started):
        clock_note = (
            f"system clock ({_iso(started)}) is behind the last verified time "
            f"({_iso(floor.get())}); expiry judged at the latter"
        )
        log.warning(clock_note)
    changed = False
    try:
        if not source:
            raise SyncError("no hub configured: set hub_url, or run 'kiosk sync --from DIR_OR_URL'")
        root = _trust_root(config)
        base = hub_base(source)
        if fetcher is None:
            fetcher = default_fetcher(
                base, config.sync_connect_timeout, config.sync_read_timeout, config.sync_max_seconds
            )
        client = HubClient(base, root, config.state_path / "tuf", fetcher)
        offer = client.offer(judge_at=floor.effective_now(started))
        if offer is None:
            raise SyncError("the hub has no catalog published yet ('kiosk hub publish')")
        # Verified and unexpired at the floor: safe to move the floor forward.
        floor.raise_to(started, offer.issued)
        _take_report_key(client, config, staging)
        if not activator.is_current(offer.sha256):
            activator.check_offer(offer.version, offer.sha256)
            staging.mkdir(parents=True, exist_ok=True)
            data = client.download(staging / f"{offer.sha256}.part")
            (checkpoint or (lambda name: None))("sync:staged")
            activator.install(data, offer.version, offer.sha256)
            changed = True
    except Exception as exc:  # the edge: every failure becomes a plain reason
        if not isinstance(exc, SyncError):
            log.debug("sync failed", exc_info=True)
        reason = explain(exc)
        version = activator.current()[0]
        summary = f"Update refused or failed: {reason}. Still serving catalog version {version}."
        _status(config, summary, False, started, version, reason, source, clock_note)
        return SyncResult(False, False, version, summary, reason, fetcher)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    version = activator.current()[0]
    summary = (
        f"Catalog updated to version {version} from {source}."
        if changed
        else f"Catalog is up to date (version {version}); checked {source}."
    )
    _status(config, summary, True, started, version, "", source, clock_note, success=True)
    return SyncResult(True, changed, version, summary, "", fetcher)


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


def _status(config, summary, ok, started, version, reason, source, clock_note, success=False):
    previous = (read_status(config, "sync") or {}).get("details") or {}
    try:
        write_status(
            config,
            "sync",
            summary,
            ok,
            last_attempt=_iso(started),
            last_success=_iso(started) if success else previous.get("last_success", "never"),
            version=version,
            reason=reason,
            source=source or "",
            clock=clock_note,
        )
    except OSError as exc:  # a full disk must not hide the real outcome
        log.error("cannot write sync status: %s", exc)
