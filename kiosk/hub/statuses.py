"""Complaint statuses down to the kiosks: a small signed target under a delegated role.

The kecamatan answers a complaint in the console and presses "Terbitkan ke kios"; the
console calls :func:`publish_statuses` with every ticket's status, date and public
answer. The file holds no personal data (no text of the complaint, no contact), and
lists tickets only by a hash of their code (kiosk/voice/statuses.py).

Trust: the catalog's content key stays with the technician, so the hub server cannot
sign releases. The statuses are signed instead by an *online* key that the hub keeps
(``keys/online/complaints.pem``), trusted through a TUF delegation from the top-level
targets role that is limited to this one file name and terminating. Whoever steals
the hub server can therefore forge statuses but never a catalog. The delegation is set
up once with the technician's key (:func:`enable_statuses`); after that, publishing
needs only online keys (complaints, snapshot, timestamp).

Publishing writes the target, then ``N.complaints.json``, then the snapshot and the
timestamp last, like a catalog release. Status publishers take a lock file, so two
console clicks never collide on a snapshot version.
"""

from __future__ import annotations

import dataclasses
import fcntl
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from ..errors import SyncError
from ..fsutil import atomic_write_bytes
from ..voice.statuses import ANSWER_MAX, FORMAT, TARGET_NAME, entry_for, parse_statuses, ticket_key
from .keys import generate_key, load_signer
from .repo import EXPIRY, Hub, Published

ROLE = "complaints"
KEY_FILE = Path("keys/online/complaints.pem")
ROLE_EXPIRY = timedelta(days=90)  # re-signed by every publish and by refresh_statuses
RESIGN_WHEN_LEFT = timedelta(days=30)
KEEP_VERSIONS = 3


@dataclasses.dataclass(frozen=True)
class TicketStatus:
    """One ticket as the kiosks show it: never anything about the complainant."""

    ticket: str  # canonical code, ABCD-EFGH
    status: str  # one of the console's STAGES (or a format-1 STATUS), kiosk.voice.statuses
    date: date
    answer: str | None = None  # the kecamatan's public answer


def status_document(entries: Iterable[TicketStatus], published: datetime) -> bytes:
    """The target's bytes (canonical JSON); ValueError if an entry is not publishable."""
    tickets: dict[str, dict[str, Any]] = {}
    for entry in entries:
        try:
            keys = entry_for(entry.status)
        except ValueError as exc:
            raise ValueError(f"ticket {entry.ticket}: {exc}") from None
        if entry.answer is not None and len(entry.answer) > ANSWER_MAX:
            raise ValueError(f"ticket {entry.ticket}: answer longer than {ANSWER_MAX}")
        tickets[ticket_key(entry.ticket)] = {
            **keys,
            "date": entry.date.isoformat(),
            "answer": entry.answer or None,
        }
    document = {"format": FORMAT, "published": published.isoformat(), "tickets": tickets}
    data = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    parse_statuses(data.encode("utf-8"))  # the kiosks' own check, before anything is signed
    return data.encode("utf-8")


@contextmanager
def publish_lock(hub: Hub) -> Iterator[None]:
    """One publisher at a time on this hub (catalog releases and statuses)."""
    hub.path.mkdir(parents=True, exist_ok=True)
    with open(hub.path / ".publish.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def enable_statuses(hub: Hub) -> str:
    """Create the online complaints key and delegate the status file to it (once; needs
    the technician's key). Returns what was done, in plain words."""
    from tuf.api.metadata import DelegatedRole, Delegations, Metadata

    key_path = hub.path / KEY_FILE
    with publish_lock(hub):
        targets = hub._latest("targets").signed
        if targets.delegations and ROLE in (targets.delegations.roles or {}):
            return f"complaint statuses are already delegated to {key_path}"
        signer = load_signer(key_path) if key_path.is_file() else generate_key(key_path, None)
        key = signer.public_key
        role = DelegatedRole(ROLE, [key.keyid], 1, True, paths=[TARGET_NAME])
        targets.delegations = Delegations(keys={key.keyid: key}, roles={ROLE: role})
        signers = hub._signers("targets", "snapshot", "timestamp")
        hub._sign_and_write_chain(Metadata(targets), signers, bump=True)
        if not hub._versions(ROLE):
            _sign_chain(hub, _empty_role())  # kiosks find the role (empty) before any publish
    return f"complaint statuses delegated to the online key {key_path}"


def _empty_role() -> Any:
    from tuf.api.metadata import Targets

    role = Targets()
    role.version = 0  # the first signing makes it version 1
    return role


def publish_statuses(hub: Hub, entries: Iterable[TicketStatus]) -> Published:
    """Sign and publish the whole status table (replaces the previous one)."""
    from tuf.api.metadata import TargetFile

    now = hub.now()
    data = status_document(entries, now)
    key_path = hub.path / KEY_FILE
    if not key_path.is_file():
        raise SyncError("complaint statuses are not set up on this hub: run enable_statuses")
    with publish_lock(hub):
        info = TargetFile.from_data(TARGET_NAME, data, ["sha256"])
        sha = info.hashes["sha256"]
        target_path = hub.targets_dir / f"{sha}.{TARGET_NAME}"
        atomic_write_bytes(target_path, data)  # 1. the file itself
        role = hub._latest(ROLE).signed if hub._versions(ROLE) else _empty_role()
        role.targets = {TARGET_NAME: info}
        version = _sign_chain(hub, role)
    return Published(version, sha, len(data), target_path)


def refresh_statuses(hub: Hub, force: bool = False) -> str | None:
    """Re-sign the complaints role before it expires (``kiosk hub refresh``, daily), so a
    quiet month at the console never makes kiosks refuse the last published answers.
    None when statuses are not set up or nothing is due."""
    if not hub._versions(ROLE):
        return None
    with publish_lock(hub):
        role = hub._latest(ROLE).signed
        if not force and role.expires - hub.now() >= RESIGN_WHEN_LEFT:
            return None
        version = _sign_chain(hub, role)
    return f"re-signed complaint statuses (version {version})"


def _sign_chain(hub: Hub, role: Any) -> int:
    """Next version of the complaints role → snapshot → timestamp; returns its version."""
    from tuf.api.metadata import Metadata, MetaFile

    now = hub.now()
    role.version += 1
    role.expires = now + ROLE_EXPIRY
    role_md = Metadata(role)
    role_md.sign(load_signer(hub.path / KEY_FILE))  # named by role: its type is "targets"
    role_bytes = hub._write(hub.metadata_dir / f"{role.version}.{ROLE}.json", role_md)
    signers = hub._signers("snapshot", "timestamp")
    snapshot = hub._latest("snapshot").signed
    snapshot.version += 1
    snapshot.expires = now + EXPIRY["snapshot"]
    snapshot.meta[f"{ROLE}.json"] = MetaFile.from_data(role.version, role_bytes, ["sha256"])
    snapshot_bytes = hub._sign_write(Metadata(snapshot), signers["snapshot"])
    meta = MetaFile.from_data(snapshot.version, snapshot_bytes, ["sha256"])
    hub._write_timestamp(meta, signers["timestamp"], hub._timestamp().signed.version + 1)
    _prune(hub)
    return int(role.version)


def _prune(hub: Hub) -> None:
    for version in hub._versions(ROLE)[:-KEEP_VERSIONS]:
        (hub.metadata_dir / f"{version}.{ROLE}.json").unlink(missing_ok=True)
    files = sorted(hub.targets_dir.glob(f"*.{TARGET_NAME}"), key=lambda p: p.stat().st_mtime)
    for path in files[:-KEEP_VERSIONS]:
        path.unlink(missing_ok=True)
