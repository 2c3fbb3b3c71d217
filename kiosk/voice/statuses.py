"""Complaint statuses on the kiosk: what the kecamatan published, verified, per ticket.

The hub publishes one small signed TUF target, ``complaint-status.json`` (see
kiosk/hub/statuses.py), under a delegated role; ``kiosk sync`` (network or USB stick)
lets python-tuf verify it and then :func:`install` keeps the verified bytes in
``<state>/complaints/status.json``. The web only reads that file. Tickets are listed by
a hash of their code, so the file itself reveals no code to type in; it holds no
personal data (status, date, public answer).

Statuses. Format 1 began with five (:data:`STATUSES`, in each entry's ``status``); the
console has seven (:data:`STAGES`, issue 15). Rather than a format 2 that older kiosks
would refuse outright (keeping stale answers), every entry carries both: ``status``, one
of the five every kiosk knows (:data:`FALLBACK` maps the three newer ones), and
``stage``, one of the seven. A kiosk that knows ``stage`` shows it; an older kiosk
ignores the extra key and shows ``status``; a ``stage`` this kiosk does not know yet (a
newer hub) falls back the same way.
"""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import Config
from ..fsutil import atomic_write_bytes

if TYPE_CHECKING:
    from ..sync.client import HubClient

TARGET_NAME = "complaint-status.json"
FORMAT = 1
STATUSES = ("diterima", "diproses", "diteruskan", "selesai", "ditolak")  # since format 1
STAGES = (  # the console's statuses (kiosk/hub/complaint_flow.py), in "stage"
    "diterima",
    "diverifikasi",
    "diteruskan",
    "ditindaklanjuti",
    "selesai",
    "ditolak",
    "bukan_wewenang",
)
FALLBACK = {"diverifikasi": "diproses", "ditindaklanjuti": "diproses", "bukan_wewenang": "ditolak"}
ANSWER_MAX = 2000


def ticket_key(ticket: str) -> str:
    """How a ticket is listed in the published file (its canonical code, hashed)."""
    return hashlib.sha256(ticket.encode("ascii")).hexdigest()[:32]


def entry_for(status: str) -> dict[str, str]:
    """The ``status`` and ``stage`` keys that publish one console (or format-1) status."""
    if status in STAGES:
        return {"status": FALLBACK.get(status, status), "stage": status}
    if status in STATUSES:
        return {"status": status}  # "diproses": a hub that predates the seven
    raise ValueError(f"unknown status {status!r}")


def shown(entry: dict[str, Any]) -> dict[str, Any]:
    """One checked entry as the resident page reads it: ``status`` is the stage when
    this kiosk knows it, else the format-1 status."""
    stage = entry.get("stage")
    status = stage if stage in STAGES else entry["status"]
    return {"status": status, "date": entry["date"], "answer": entry.get("answer")}


def parse_statuses(data: bytes) -> dict[str, dict[str, Any]]:
    """The ticket table of a status file, each entry as :func:`shown` makes it;
    ValueError says what is wrong."""
    raw = json.loads(data.decode("utf-8"))
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise ValueError(f"not a complaint status file of format {FORMAT}")
    tickets = raw.get("tickets")
    if not isinstance(tickets, dict):
        raise ValueError("no 'tickets' table")
    for key, entry in tickets.items():
        if not isinstance(entry, dict) or entry.get("status") not in STATUSES:
            raise ValueError(f"ticket {key}: status must be one of {', '.join(STATUSES)}")
        answer = entry.get("answer")
        if answer is not None and (not isinstance(answer, str) or len(answer) > ANSWER_MAX):
            raise ValueError(f"ticket {key}: answer must be text of at most {ANSWER_MAX}")
        if not isinstance(entry.get("date"), str):
            raise ValueError(f"ticket {key}: no date")
    return {key: shown(entry) for key, entry in tickets.items()}


def status_path(config: Config) -> Path:
    return config.state_path / "complaints" / "status.json"


def install(config: Config, data: bytes) -> int:
    """Keep verified status bytes (after TUF checked them); returns the ticket count."""
    tickets = parse_statuses(data)
    path = status_path(config)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(path, data)
    return len(tickets)


def installed_sha256(config: Config) -> str | None:
    try:
        return hashlib.sha256(status_path(config).read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


class StatusStore:
    """Reads the installed status file, again only when it changed."""

    def __init__(self, config: Config):
        self.path = status_path(config)
        self._stamp: int | None = None
        self._tickets: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def lookup(self, ticket: str) -> dict[str, Any] | None:
        with self._lock:
            try:
                stamp = self.path.stat().st_mtime_ns
            except FileNotFoundError:
                self._stamp, self._tickets = None, {}
                return None
            if stamp != self._stamp:
                try:
                    self._tickets = parse_statuses(self.path.read_bytes())
                except (OSError, ValueError):
                    self._tickets = {}
                self._stamp = stamp
            return self._tickets.get(ticket_key(ticket))


def update_statuses(client: HubClient, config: Config, staging: Path) -> str:
    """During ``kiosk sync``, after the catalog: fetch the signed status file if it
    changed, let TUF verify it, keep it. Never raises: a refused or broken status file
    leaves the last good one in place and says why (also in ``kiosk status``)."""
    from ..status import write_status
    from ..sync.client import explain

    try:
        info = client.target_info(TARGET_NAME)
        if info is None:
            note, ok = "no complaint statuses published by the hub yet", True
        elif info.hashes.get("sha256") == installed_sha256(config):
            note, ok = "complaint statuses up to date", True
        else:
            staging.mkdir(parents=True, exist_ok=True)
            count = install(config, client.download_target(info, staging / "statuses.part"))
            note, ok = f"complaint statuses updated ({count} tickets)", True
    except Exception as exc:  # noqa: BLE001 - the edge: every failure in plain words
        note, ok = f"complaint statuses refused, keeping the last good ones: {explain(exc)}", False
    try:
        write_status(config, "complaints", note, ok)
    except OSError:
        pass
    return note
