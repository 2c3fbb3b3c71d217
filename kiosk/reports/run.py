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
from .cadence import push_reason, remember_push, seconds_to_wait
from .health import collect_health
from .hubkey import HubKey, load_hub_key
from .identity import Identity, load_identity, pending_enroll_code
from .outgoing import AckResult, apply_ack, build_bundles
from .push import ReportRefused, post_bundle

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
    refused: bool = False  # the hub answered no: trying again alone will not help


def run_reports(
    config: Config, *, stick_dir: Path | None = None, force: bool = False
) -> ReportResult:
    """Record health and deliver the outbox (to ``stick_dir``, else to ``report_url``).

    A push to ``report_url`` happens only when one is due (``cadence.py``) or ``force``;
    a stick always gets everything."""
    folder = config.state_path / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "lock", "a+b") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return ReportResult(False, "another report cycle is running", skipped=True)
        try:
            result = _cycle(config, stick_dir, force=force)
        except (KioskError, OSError) as exc:
            result = _failed(config, exc)
        _status(config, result)
        return result


def _cycle(config: Config, stick_dir: Path | None, *, force: bool) -> ReportResult:
    outbox = Outbox.for_config(config)
    identity = load_identity(config.state_path, config.village)
    hub_key = load_hub_key(config.state_path)
    confirmed: tuple[int, list[dict[str, Any]]] = (0, [])
    if stick_dir is not None and hub_key is not None:  # answers first: they free space
        confirmed = _read_stick_acks(outbox, identity, hub_key, Path(stick_dir))
    why = "asked for" if force else None
    if stick_dir is None and hub_key is not None and config.report_url and not force:
        enrolling = pending_enroll_code(config.state_path) is not None
        why = push_reason(config, outbox.stats(), enrolling=enrolling)
        if why is None:
            return _not_due(config, outbox)
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
    return _push(config, outbox, identity, hub_key, why=why or "due")


def _not_due(config: Config, outbox: Outbox) -> ReportResult:
    waiting = outbox.stats()["records"]
    hours = max(1, round(seconds_to_wait(config) / 3600))
    return ReportResult(
        True,
        f"{waiting} record(s) waiting; next report in about {hours} h (report_every_hours = "
        f"{config.report_every_hours}, sooner for a complaint or a printer fault)",
        waiting=waiting,
        skipped=True,
    )


def _record_health(config: Config, outbox: Outbox) -> None:
    try:
        outbox.append_health(collect_health(config, outbox.stats()))
    except OutboxRefused as exc:
        log.error("health record not kept: %s", exc)


def _push(
    config: Config, outbox: Outbox, identity: Identity, hub_key: HubKey, *, why: str
) -> ReportResult:
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
        remember_push(config)
        sent += result.freed
        wire += len(bundle.data) + len(ack)
        refused += result.refused
    waiting = outbox.stats()["records"]
    summary = f"Reports delivered to {config.report_url} ({why}): {sent} record(s) confirmed"
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
        refused=isinstance(exc, ReportRefused),
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
