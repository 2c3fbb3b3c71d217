"""One report cycle on the kiosk: health record, then out by HTTP or onto the stick.

Called by ``kiosk sync`` before it pulls the catalog (and once more after, when that
pull brought the hub's report key for the first time). Never raises: the catalog pull
must not depend on the reports; the outcome goes to ``<state>/status/reports.json``
in plain words (``kiosk status``), and everything unconfirmed stays in the outbox.
"""

from __future__ import annotations

import dataclasses
import fcntl
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..config import Config
from ..errors import KioskError, OutboxRefused
from ..outbox import Outbox
from ..status import read_status, write_status
from . import stick
from .health import collect_health
from .hubkey import HubKey, load_hub_key
from .identity import Identity, load_identity, pending_enroll_code
from .outgoing import AckResult, apply_ack, build_bundles
from .push import post_bundle

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class ReportResult:
    ok: bool
    summary: str
    sent: int = 0  # records the hub confirmed in this cycle
    waiting: int = 0  # records still in the outbox
    skipped: bool = False  # nothing to do here (no key yet, nowhere to send)
    wire_bytes: int = 0
    needs_key: bool = False  # the hub's report key has not arrived (sync first)


def run_reports(config: Config, *, stick_dir: Path | None = None) -> ReportResult:
    """Record health and deliver the outbox (to ``stick_dir``, else to ``report_url``)."""
    folder = config.state_path / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "lock", "a+b") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return ReportResult(False, "another report cycle is running", skipped=True)
        try:
            result = _cycle(config, stick_dir)
        except (KioskError, OSError) as exc:
            result = _failed(config, exc)
        _status(config, result)
        return result


def _cycle(config: Config, stick_dir: Path | None) -> ReportResult:
    outbox = Outbox.for_config(config)
    identity = load_identity(config.state_path, config.village)
    hub_key = load_hub_key(config.state_path)
    confirmed: tuple[int, list[dict[str, Any]]] = (0, [])
    if stick_dir is not None and hub_key is not None:  # answers first: they free space
        confirmed = _read_stick_acks(outbox, identity, hub_key, Path(stick_dir))
    _record_health(config, outbox)
    waiting = outbox.stats()["records"]
    if hub_key is None:
        return ReportResult(
            True,
            f"{waiting} record(s) waiting: the kecamatan's report key has not arrived yet "
            "(it comes with the first catalog sync)",
            waiting=waiting,
            skipped=True,
            needs_key=True,
        )
    if stick_dir is not None:
        return _to_stick(outbox, identity, hub_key, Path(stick_dir), confirmed)
    if not config.report_url:
        return ReportResult(
            True,
            f"{waiting} record(s) waiting for a USB stick (no report_url set)",
            waiting=waiting,
            skipped=True,
        )
    return _push(config, outbox, identity, hub_key)


def _record_health(config: Config, outbox: Outbox) -> None:
    try:
        outbox.append_health(collect_health(config, outbox.stats()))
    except OutboxRefused as exc:
        log.error("health record not kept: %s", exc)


def _push(config: Config, outbox: Outbox, identity: Identity, hub_key: HubKey) -> ReportResult:
    sent, wire, refused = 0, 0, []
    for bundle in build_bundles(outbox, identity, hub_key):
        outbox.mark_sent(bundle.ids)
        ack = post_bundle(
            config.report_url,
            bundle.data,
            connect_timeout=config.sync_connect_timeout,
            read_timeout=config.sync_read_timeout,
        )
        result = apply_ack(outbox, identity, hub_key, ack)
        sent += result.freed
        wire += len(bundle.data) + len(ack)
        refused += result.refused
    waiting = outbox.stats()["records"]
    summary = f"Reports delivered to {config.report_url}: {sent} record(s) confirmed"
    return _done(summary, sent, waiting, refused, wire)


def _read_stick_acks(
    outbox: Outbox, identity: Identity, hub_key: HubKey, stick_dir: Path
) -> tuple[int, list[dict[str, Any]]]:
    """Apply the hub's answers found on the stick; (records freed, records refused)."""
    folder = stick.kiosk_folder(stick_dir, identity.kiosk_id)
    sent, refused = 0, []
    for path, data in stick.read_acks(folder):
        try:
            result: AckResult = apply_ack(outbox, identity, hub_key, data)
        except KioskError as exc:
            log.warning("ignored %s on the stick: %s", path.name, exc)
            continue
        sent += result.freed
        refused += result.refused
        path.unlink(missing_ok=True)
    return sent, refused


def _to_stick(
    outbox: Outbox,
    identity: Identity,
    hub_key: HubKey,
    stick_dir: Path,
    confirmed: tuple[int, list[dict[str, Any]]],
) -> ReportResult:
    folder = stick.kiosk_folder(stick_dir, identity.kiosk_id)
    sent, refused = confirmed
    bundles = build_bundles(outbox, identity, hub_key)
    for bundle in bundles:
        outbox.mark_sent(bundle.ids)
    names = [
        (
            f"{identity.kiosk_id}-{b.ids[0] if b.ids else 0}-{b.ids[-1] if b.ids else 0}"
            f"{stick.BUNDLE_SUFFIX}",
            b.data,
        )
        for b in bundles
    ]
    stick.replace_bundles(folder, names)
    waiting = outbox.stats()["records"]
    summary = (
        f"Reports written to the stick ({waiting} record(s) in {len(names)} bundle(s)); "
        f"{sent} record(s) confirmed by the hub's last import"
    )
    return _done(summary, sent, waiting, refused, sum(len(d) for _, d in names))


def _done(
    summary: str, sent: int, waiting: int, refused: list[dict[str, Any]], wire: int
) -> ReportResult:
    if refused:
        reasons = "; ".join(f"#{r.get('id')}: {r.get('reason')}" for r in refused[:3])
        summary += f"; the hub refused {len(refused)} record(s) ({reasons}), kept here"
    return ReportResult(not refused, summary + f"; {waiting} waiting.", sent, waiting, False, wire)


def _failed(config: Config, exc: BaseException) -> ReportResult:
    if isinstance(exc, OSError):
        reason = f"cannot write ({exc.strerror or exc}): disk or stick full, removed or read-only"
    else:
        reason = str(exc)
    try:
        waiting = Outbox.for_config(config).stats()["records"]
    except (KioskError, OSError, Exception):
        waiting = -1
    return ReportResult(
        False,
        f"Reports not delivered: {reason}. Nothing is lost; "
        f"{waiting} record(s) kept for the next try.",
        waiting=waiting,
    )


def _status(config: Config, result: ReportResult) -> None:
    if result.summary == "another report cycle is running":
        return
    previous = (read_status(config, "reports") or {}).get("details") or {}
    now = datetime.now(UTC).isoformat(timespec="seconds")
    delivered = result.ok and not result.skipped
    try:
        write_status(
            config,
            "reports",
            result.summary,
            result.ok,
            last_attempt=now,
            last_delivered=now if delivered else previous.get("last_delivered", "never"),
            waiting=result.waiting,
            enrollment="pending" if pending_enroll_code(config.state_path) else "done or none",
        )
    except OSError as exc:
        log.error("cannot write reports status: %s", exc)
