"""The kiosk's outbox: records wait here, durably, until the hub confirms it stored them.

One SQLite file (``<state>/reports/outbox.sqlite3``; Python's own sqlite3, no extra
package). SQLite gives what a power cut needs: every append is one transaction, fsynced
(rollback journal, ``synchronous=FULL``) before ``append`` returns, and ids come from
AUTOINCREMENT, so they are ordered, unique on this kiosk and never reused, even after
``kill -9`` or after records are freed. A second process (the web, the printer, ``kiosk sync``) may
append at the same time: ``BEGIN IMMEDIATE`` serialises writers.

Privacy: residents' records (``records.PERSONAL_KINDS``) are sealed to the hub's key
(PyNaCl SealedBox) *before* they are written, so nothing readable about a person is
ever on the SD card. Machine records (``health``, ``counts``) stay readable until they
leave, because counts are merged when space runs short; they are sealed in the bundle.
A personal record that cannot be sealed (the hub's key has not arrived by sync yet) is
refused with HubKeyMissing, never kept in clear.

Space: the file is bounded (``outbox_max_kb``). When a record does not fit, the outbox
first merges hourly ``counts`` of the same day that never left the kiosk, then drops
older unsent ``health`` records (only the newest matters), and only then refuses a
resident's record with OutboxFull, whose message can be shown as it is.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import HubKeyMissing, OutboxFull, OutboxRefused
from .records import PERSONAL_KINDS, validate
from .reports import clockstate
from .reports.hubkey import HubKey, load_hub_key
from .reports.packing import pack, unpack

if TYPE_CHECKING:
    from .config import Config

DEFAULT_MAX_BYTES = 4 * 1024 * 1024
MACHINE_HEADROOM = 1.1  # health and counts may use 10 % over the bound before refusal
MAX_RECORD_BYTES = 64 * 1024
LOW_DISK_BYTES = 1024 * 1024  # an SQLite error with less free than this: the disk is full
FILE_NAME = "outbox.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    priority INTEGER NOT NULL DEFAULT 0,
    kiosk_time TEXT NOT NULL,
    boot_id TEXT NOT NULL,
    mono REAL NOT NULL,
    clock TEXT NOT NULL,
    sealed INTEGER NOT NULL,
    body BLOB NOT NULL,
    size INTEGER NOT NULL,
    sent INTEGER NOT NULL DEFAULT 0
);
"""


def seal(hub_key: HubKey, data: bytes) -> bytes:
    from nacl.public import PublicKey, SealedBox

    return SealedBox(PublicKey(hub_key.seal)).encrypt(data)


@dataclass(frozen=True)
class Stored:
    """One record as it waits in the outbox."""

    id: int
    kind: str
    priority: bool
    kiosk_time: str
    boot_id: str
    mono: float
    clock: str
    sealed: bool
    body: bytes  # packed JSON (machine kinds) or sealed packed JSON (personal kinds)

    def envelope(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "kiosk_time": self.kiosk_time,
            "boot_id": self.boot_id,
            "mono": self.mono,
            "clock": self.clock,
        }


class Outbox:
    """The durable, bounded queue of records for the hub."""

    def __init__(self, state_dir: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES):
        self.state_dir = Path(state_dir)
        self.folder = self.state_dir / "reports"
        self.path = self.folder / FILE_NAME
        self.max_bytes = max_bytes

    @classmethod
    def for_config(cls, config: Config) -> Outbox:
        return cls(config.state_path, max_bytes=config.outbox_max_kb * 1024)

    # ------------------------------------------------------------ connection

    @contextmanager
    def _db(self, *, write: bool = False) -> Iterator[sqlite3.Connection]:
        try:
            with self._connection(write=write) as db:
                yield db
        except sqlite3.OperationalError as exc:
            # A full disk shows as SQLITE_FULL, or as an I/O error of the journal write.
            if "full" in str(exc) or shutil.disk_usage(self.folder).free < LOW_DISK_BYTES:
                raise OutboxFull(
                    "the kiosk's disk is full: nothing more can be kept until space is freed "
                    "(records already kept are safe)"
                ) from None
            raise OutboxRefused(f"the outbox cannot be used right now ({exc})") from None

    @contextmanager
    def _connection(self, *, write: bool) -> Iterator[sqlite3.Connection]:
        self.folder.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path, timeout=30, isolation_level=None)) as db:
            # A rollback journal, not WAL: with WAL every new connection needs room for a
            # shared-memory file, so a full SD card could not even be read (and emptied).
            db.execute("PRAGMA journal_mode=DELETE")
            db.execute("PRAGMA synchronous=FULL")
            db.execute(_SCHEMA)
            if not write:
                yield db
                return
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    # ------------------------------------------------------------ append

    def append(self, kind: str, body: dict[str, Any], *, priority: bool = False) -> int:
        """Validate, (seal,) store durably; return the record's id. See the module doc."""
        validate(kind, body)
        data = pack(body)
        personal = kind in PERSONAL_KINDS
        if personal:
            hub_key = load_hub_key(self.state_dir)
            if hub_key is None:
                raise HubKeyMissing(
                    "this kiosk has not received the kecamatan's key yet (run 'kiosk sync'); "
                    "residents' answers cannot be kept safely until then"
                )
            data = seal(hub_key, data)
        if len(data) > MAX_RECORD_BYTES:
            raise OutboxFull(f"a {kind} record of {len(data)} bytes is too large to keep")
        stamp = self._stamp()
        with self._db(write=True) as db:
            self._make_room(db, len(data), personal)
            cursor = db.execute(
                "INSERT INTO records (kind, priority, kiosk_time, boot_id, mono, clock, sealed,"
                " body, size) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (kind, int(priority), *stamp, int(personal), data, len(data)),
            )
            new_id = cursor.lastrowid
        assert new_id is not None
        return new_id

    def append_health(self, body: dict[str, Any]) -> int:
        """Append a health record, replacing waiting ones of the same kiosk day: a month
        offline still leaves one health record per day, not one per sync attempt. (Even
        one that already left in a bundle may go: it is never merged into another record,
        so dropping it can lose a stale snapshot but never double anything.)"""
        validate("health", body)
        today = clockstate.wall_iso()[:10]
        with self._db(write=True) as db:
            db.execute(
                "DELETE FROM records WHERE kind = 'health' AND substr(kiosk_time, 1, 10) = ?",
                (today,),
            )
        return self.append("health", body)

    def _stamp(self) -> tuple[str, str, float, str]:
        from .sync.clock import TimeFloor

        now = datetime.now(UTC)
        floor = TimeFloor(self.state_dir / "sync").get()
        return (
            clockstate.wall_iso(now),
            clockstate.boot_id(),
            clockstate.mono(),
            clockstate.clock_state(floor, now),
        )

    def _used(self, db: sqlite3.Connection) -> int:
        return int(db.execute("SELECT COALESCE(SUM(size), 0) FROM records").fetchone()[0])

    def _make_room(self, db: sqlite3.Connection, size: int, personal: bool) -> None:
        if self._used(db) + size <= self.max_bytes:
            return
        _compact_counts(db)
        _drop_old_health(db)
        limit = self.max_bytes if personal else int(self.max_bytes * MACHINE_HEADROOM)
        if self._used(db) + size > limit:
            raise OutboxFull(
                "the kiosk's outbox is full: the kecamatan has not received its reports "
                f"yet (limit {self.max_bytes // 1024} KB); sync the kiosk to free space"
            )

    # ------------------------------------------------------------ reading and freeing

    def pending(self, *, max_bytes: int | None = None) -> list[Stored]:
        """Records not yet confirmed by the hub: priority first, then by id."""
        out: list[Stored] = []
        total = 0
        with self._db() as db:
            rows = db.execute(
                "SELECT id, kind, priority, kiosk_time, boot_id, mono, clock, sealed, body "
                "FROM records ORDER BY priority DESC, id"
            )
            for row in rows:
                if max_bytes is not None and out and total + len(row[8]) > max_bytes:
                    break
                total += len(row[8])
                out.append(
                    Stored(
                        id=row[0],
                        kind=row[1],
                        priority=bool(row[2]),
                        kiosk_time=row[3],
                        boot_id=row[4],
                        mono=row[5],
                        clock=row[6],
                        sealed=bool(row[7]),
                        body=row[8],
                    )
                )
        return out

    def mark_sent(self, ids: list[int]) -> None:
        """These records left in a bundle: never merge them again (the hub may have them)."""
        with self._db(write=True) as db:
            db.executemany("UPDATE records SET sent = 1 WHERE id = ?", [(i,) for i in ids])

    def acknowledge(self, ids: list[int]) -> int:
        """The hub confirmed it stored these: free them. Returns how many were freed."""
        with self._db(write=True) as db:
            before = db.total_changes
            db.executemany("DELETE FROM records WHERE id = ?", [(i,) for i in ids])
            return db.total_changes - before

    def raise_id_floor(self, next_id: int) -> None:
        """Never hand out an id below ``next_id`` (the hub already holds lower ones, e.g.
        after the SD card was replaced and the outbox started again)."""
        with self._db(write=True) as db:
            db.execute("INSERT OR IGNORE INTO sqlite_sequence (name, seq) VALUES ('records', 0)")
            db.execute(
                "UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = 'records'",
                (next_id - 1,),
            )

    def stats(self) -> dict[str, int]:
        """``{"records": n, "bytes": n, "priority": n}`` waiting for the hub."""
        with self._db() as db:
            count, size, priority = db.execute(
                "SELECT COUNT(*), COALESCE(SUM(size), 0), COALESCE(SUM(priority), 0) FROM records"
            ).fetchone()
        return {"records": int(count), "bytes": int(size), "priority": int(priority)}

    def compact(self) -> int:
        """Merge unsent hourly counts into day records now; returns records removed."""
        with self._db(write=True) as db:
            return _compact_counts(db)


def _compact_counts(db: sqlite3.Connection) -> int:
    """Merge the unsent ``counts`` of each kiosk day into its first record (same id)."""
    rows = db.execute(
        "SELECT id, body FROM records WHERE kind = 'counts' AND sent = 0 ORDER BY id"
    ).fetchall()
    by_day: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for record_id, data in rows:
        body = unpack(data)
        by_day.setdefault(str(body["hour"])[:10], []).append((record_id, body))
    removed = 0
    for day, group in by_day.items():
        if len(group) < 2:
            continue
        merged = merge_counts(day, [body for _, body in group])
        data = pack(merged)
        db.execute(
            "UPDATE records SET body = ?, size = ? WHERE id = ?", (data, len(data), group[0][0])
        )
        db.executemany("DELETE FROM records WHERE id = ?", [(i,) for i, _ in group[1:]])
        removed += len(group) - 1
    return removed


def merge_counts(day: str, bodies: list[dict[str, Any]]) -> dict[str, Any]:
    """One ``day``'s counts from several hourly bodies: sums, stamped with the first hour
    and ``"compacted": "day"`` (the hub then files them under the day, not the hour)."""
    services: dict[str, dict[str, int]] = {}
    no_hit: dict[str, int] = {}
    opens = 0
    for body in bodies:
        for service, metrics in body["services"].items():
            target = services.setdefault(service, {})
            for metric, n in metrics.items():
                target[metric] = target.get(metric, 0) + n
        for query, n in body["no_hit"].items():
            no_hit[query] = no_hit.get(query, 0) + n
        opens += body["portal_opens"]
    first = bodies[0]
    return {
        "hour": first["hour"],
        "mono_start": first["mono_start"],
        "boot_id": first["boot_id"],
        "services": services,
        "no_hit": no_hit,
        "portal_opens": opens,
        "compacted": "day",
    }


def _drop_old_health(db: sqlite3.Connection) -> int:
    """Keep only the newest unsent health record: a health report describes 'now'."""
    cursor = db.execute(
        "DELETE FROM records WHERE kind = 'health' AND sent = 0 AND id < "
        "(SELECT MAX(id) FROM records WHERE kind = 'health')"
    )
    return cursor.rowcount
