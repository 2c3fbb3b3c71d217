"""The hub takes in one bundle: check it, store each record exactly once, sign the answer.

Order of checks (each refusal is logged in ``bundles`` with its reason, and the kiosk
keeps everything): readable → sealed to *this* hub's key → a kiosk this hub knows
(enrolled, not revoked; or enrolling with a valid one-time code) → the kiosk's
signature → the payload opens → the payload names the same kiosk → each record's
envelope and body. Then, in one transaction, the new records go in (records with an id
the hub already holds are duplicates: acknowledged, not stored again) and are filed
into their kind's table. The signed acknowledgement lists every id the hub now holds
from this bundle; the kiosk frees only those.

Exactly once means once per kiosk, kiosk key and record id: a kiosk whose SD card was
replaced (new state folder, new key, enrolled again under the same village) starts its
ids at 1 again, and those are new records, not the old kiosk's duplicates.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from nacl.public import SealedBox
from sqlalchemy.engine import Connection, Engine

from ..errors import KioskError
from ..records import KINDS, PERSONAL_KINDS, problems_of
from ..reports.bundle import (
    Bundle,
    BundleInvalid,
    open_payload,
    parse_bundle,
    sign_ack,
    to_ranges,
    verify_bundle,
)
from ..reports.identity import fingerprint
from ..reports.packing import unpack
from . import db
from .bulk import insert_dicts
from .enroll import check_code
from .filing import Filing
from .placing import Placer
from .report_keys import ReportKeys

log = logging.getLogger(__name__)


class Refused(KioskError):
    """A bundle the hub will not take; ``status`` is the HTTP answer (400/403)."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status


@dataclasses.dataclass(frozen=True)
class Outcome:
    ok: bool
    status: int
    reason: str
    kiosk_id: str | None
    ack: bytes | None = None
    new: int = 0
    duplicates: int = 0
    refused: int = 0


@dataclasses.dataclass(frozen=True)
class Arrival:
    """A bundle as it came in: its bytes, by which road, and the hub's clock then."""

    data: bytes
    transport: str
    received: datetime


@dataclasses.dataclass(frozen=True)
class Opened:
    """What a verified, unsealed bundle holds, ready to be stored."""

    incoming: list[Incoming]
    refused: list[dict[str, Any]]
    enroll_code: Any
    confirmed: bool
    stamp: dict[str, Any]
    kiosk_key: str  # the fingerprint of the key that signed the bundle


@dataclasses.dataclass(frozen=True)
class Ready:
    """A bundle checked and opened but not stored yet, or why it is refused."""

    arrival: Arrival
    claim: str | None  # the kiosk id its header claims, for the log
    bundle: Bundle | None = None
    opened: Opened | None = None
    refusal: Refused | None = None


@dataclasses.dataclass
class Incoming:
    """One record as unpacked from a bundle, before it is stored."""

    envelope: dict[str, Any]
    body: dict[str, Any]


class Ingestor:
    """Takes bundles into the hub database (thread-safe: state is per call)."""

    def __init__(
        self, engine: Engine, keys: ReportKeys, *, now: Callable[[], datetime] = db.utcnow
    ):
        self.engine = engine
        self.keys = keys
        self.now = now
        self.box = SealedBox(keys.seal)  # one box opens every resident's record

    def ingest(self, data: bytes, *, transport: str) -> Outcome:
        return self.finish(self.prepare(data, transport=transport))

    def ingest_many(self, bundles: Iterable[bytes], *, transport: str) -> Iterator[Outcome]:
        """:meth:`ingest` for each bundle in turn, in order; the next one is checked and
        opened in a second thread while the one before is written (a stick's bundles: the
        unsealing overlaps the database's work). Each is still its own transaction."""
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-open") as pool:
            ahead: Future[Ready] | None = None
            for data in bundles:
                following = pool.submit(self.prepare, data, transport=transport)
                if ahead is not None:
                    yield self.finish(ahead.result())
                ahead = following
            if ahead is not None:
                yield self.finish(ahead.result())

    def prepare(self, data: bytes, *, transport: str) -> Ready:
        """Every check that needs no write: parse, verify, unseal, validate."""
        arrival = Arrival(data, transport, self.now())
        claim: str | None = None
        try:
            bundle = parse_bundle(data)
            claim = str(bundle.header["kiosk"])[:64]
            return Ready(arrival, claim, bundle, self._open(bundle))
        except BundleInvalid as exc:
            return Ready(arrival, claim, refusal=Refused(400, str(exc)))
        except Refused as exc:
            return Ready(arrival, claim, refusal=exc)

    def finish(self, ready: Ready) -> Outcome:
        """Store a prepared bundle in one transaction and sign the answer (or log why not)."""
        refusal = ready.refusal
        if refusal is None and ready.bundle is not None and ready.opened is not None:
            try:
                return self._store(ready.bundle, ready.arrival, ready.opened)
            except Refused as exc:  # an enrollment code found wrong at the last moment
                refusal = exc
        assert refusal is not None
        return self._refuse(ready.arrival, ready.claim, refusal)

    # ------------------------------------------------------------ checks

    def _open(self, bundle: Bundle) -> Opened:
        header = bundle.header
        mine = self.keys.public.fingerprint
        if header.get("hub") != mine:
            raise Refused(
                400,
                f"the bundle is sealed to another hub's key ({header.get('hub')}, this hub's "
                f"is {mine}): the kiosk synced from another hub",
            )
        kiosk_id = header["kiosk"]
        with self.engine.connect() as conn:
            kiosk = conn.execute(
                sa.select(db.kiosks).where(db.kiosks.c.kiosk_id == kiosk_id)
            ).first()
        enrolling = isinstance(header.get("pub"), str) and (
            kiosk is None or kiosk.public_key != header["pub"] or kiosk.revoked_at is not None
        )
        # The kiosk sends its key until it hears "enrolled"; a lost answer is repaired here.
        confirmed = not enrolling and kiosk is not None and header.get("pub") == kiosk.public_key
        key_hex = header["pub"] if enrolling else self._enrolled_key(kiosk_id, kiosk)
        try:
            verify_bundle(bundle, bytes.fromhex(key_hex))
        except ValueError as exc:
            raise Refused(400, f"the bundle's key is malformed ({exc})") from None
        index, bodies = open_payload(bundle, self.keys.seal)
        if index.get("kiosk") != kiosk_id:
            raise Refused(
                400,
                f"the sealed payload belongs to kiosk {index.get('kiosk')!r}, not {kiosk_id!r} "
                "(replayed from another kiosk)",
            )
        incoming, refused = self._unpack(index["records"], bodies)
        at = index.get("at")
        stamp: dict[str, Any] = at if isinstance(at, dict) else {}
        return Opened(
            incoming,
            refused,
            index.get("enroll") if enrolling else None,
            confirmed,
            stamp,
            fingerprint(bytes.fromhex(key_hex)),
        )

    def _enrolled_key(self, kiosk_id: str, kiosk: Any) -> str:
        if kiosk is None or kiosk.public_key is None:
            raise Refused(
                403,
                f"kiosk {kiosk_id!r} is not enrolled at this hub: run 'kiosk hub enroll "
                f"{kiosk_id}' there and give the code to the kiosk ('kiosk enroll CODE')",
            )
        if kiosk.revoked_at is not None:
            raise Refused(
                403,
                f"kiosk {kiosk_id!r} was revoked at the hub on {kiosk.revoked_at:%Y-%m-%d}"
                f" ({kiosk.revoked_reason or 'no reason given'}); enroll it again to resume",
            )
        key: str = kiosk.public_key
        return key

    def _unpack(
        self, entries: list[Any], bodies: bytes
    ) -> tuple[list[Incoming], list[dict[str, Any]]]:
        incoming: list[Incoming] = []
        refused: list[dict[str, Any]] = []
        offset = 0
        for entry in entries:
            try:
                if "body" in entry:  # a machine record, compressed with the whole index
                    body = entry["body"]
                else:  # a resident's record, sealed on its own at the kiosk
                    length = int(entry["len"])
                    raw = bodies[offset : offset + length]
                    offset += length
                    if len(raw) != length:
                        raise ValueError("body cut short")
                    body = unpack(self.box.decrypt(raw))
                problems = _envelope_problems(entry) + problems_of(entry["kind"], body)
            except Exception as exc:  # a hostile bundle: any failure is a refusal
                problems = [f"cannot be read ({type(exc).__name__})"]
                body = None
            if problems:
                refused.append({"id": entry.get("id"), "reason": "; ".join(problems[:3])})
            else:
                incoming.append(Incoming(entry, body))
        return incoming, refused

    # ------------------------------------------------------------ storing

    def _store(self, bundle: Bundle, arrival: Arrival, opened: Opened) -> Outcome:
        kiosk_id = bundle.header["kiosk"]
        received, transport = arrival.received, arrival.transport
        incoming, refused = opened.incoming, opened.refused
        for attempt in range(3):  # a concurrent push of the same records: retry, then dups
            try:
                with self.engine.begin() as conn:
                    # First a write to the kiosk's row: bundles of one kiosk take turns
                    # (SQLite: the write lock; PostgreSQL: the row lock), so every read
                    # below sees what the previous one committed.
                    conn.execute(
                        sa.update(db.kiosks)
                        .where(db.kiosks.c.kiosk_id == kiosk_id)
                        .values(last_seen_at=received, last_transport=transport)
                    )
                    enrolled = self._enroll(conn, bundle, opened.enroll_code, received)
                    new_ids, dups = self._insert(conn, kiosk_id, arrival, opened)
                    next_id = _next_id(conn, kiosk_id, opened.kiosk_key)
                    _log_bundle(conn, arrival, kiosk_id, len(new_ids), dups)
                break
            except sa.exc.IntegrityError:
                if attempt == 2:
                    raise
        ack: dict[str, Any] = {
            "kiosk": kiosk_id,
            "key": bundle.header.get("key"),
            "stored": to_ranges([i.envelope["id"] for i in incoming]),
            "next_id": next_id,
            "hub_time": received.isoformat(timespec="seconds"),
        }
        if refused:
            ack["refused"] = refused
        if enrolled or opened.confirmed:
            ack["enrolled"] = True
        reason = f"stored {len(new_ids)} new record(s), {dups} already held"
        if refused:
            reason += f", refused {len(refused)}"
        return Outcome(
            True,
            200,
            reason,
            kiosk_id,
            sign_ack(self.keys.signing, ack),
            len(new_ids),
            dups,
            len(refused),
        )

    def _enroll(self, conn: Connection, bundle: Bundle, code: Any, when: datetime) -> bool:
        header = bundle.header
        if code is None:
            return False
        kiosk_id = header["kiosk"]
        now_held = conn.execute(
            sa.select(db.kiosks.c.public_key, db.kiosks.c.revoked_at).where(
                db.kiosks.c.kiosk_id == kiosk_id
            )
        ).first()
        if (
            now_held is not None
            and now_held.public_key == header["pub"]
            and not now_held.revoked_at
        ):
            return True  # the same enrollment, pushed twice at once: already done
        if not isinstance(code, str) or not check_code(conn, kiosk_id, code, when):
            raise Refused(
                403,
                f"kiosk {kiosk_id!r} sent a new key but no valid enrollment code (wrong, used "
                f"or expired): run 'kiosk hub enroll {kiosk_id}' for a new code",
            )
        key = header["pub"]
        conn.execute(
            sa.update(db.kiosks)
            .where(db.kiosks.c.kiosk_id == kiosk_id)
            .values(
                public_key=key,
                key_fingerprint=fingerprint(bytes.fromhex(key)),
                enrolled_at=when,
                revoked_at=None,
                revoked_reason=None,
            )
        )
        log.info("kiosk %s enrolled with key %s", kiosk_id, fingerprint(bytes.fromhex(key)))
        return True

    def _insert(
        self, conn: Connection, kiosk_id: str, arrival: Arrival, opened: Opened
    ) -> tuple[list[int], int]:
        """Insert the records not held yet; (their ids, how many were already held)."""
        incoming, key = opened.incoming, opened.kiosk_key
        placer = Placer(conn, kiosk_id, opened.stamp, arrival.transport, arrival.received)
        held = _held(conn, kiosk_id, key, [i.envelope["id"] for i in incoming])
        fresh = [i for i in incoming if i.envelope["id"] not in held]
        if not fresh:
            return [], len(incoming)
        rows = [placer.record_row(item.envelope, key) for item in fresh]
        insert_dicts(conn, db.records, rows)
        pk_of = dict(_held_rows(conn, kiosk_id, key, [row["record_id"] for row in rows]))
        filing = Filing(conn, placer)
        for item, row in zip(fresh, rows, strict=True):
            filing.add(pk_of[row["record_id"]], row, item.body)
        filing.flush(conn)
        return [item.envelope["id"] for item in fresh], len(incoming) - len(fresh)

    def _refuse(self, arrival: Arrival, claim: str | None, exc: Refused) -> Outcome:
        log.warning("refused a bundle from %s (%s): %s", claim or "?", arrival.transport, exc)
        try:
            with self.engine.begin() as conn:
                _log_bundle(conn, arrival, claim, 0, 0, reason=str(exc))
        except sa.exc.SQLAlchemyError:
            log.exception("cannot log the refused bundle")
        return Outcome(False, exc.status, str(exc), claim)


def _envelope_ok(entry: dict[str, Any]) -> bool:
    """The common case of a good envelope, in one expression (thousands per bundle);
    never looser than :func:`_envelope_problems`, which says what is wrong."""
    record_id, kind = entry.get("id"), entry.get("kind")
    kiosk_time, boot_id, clock = entry.get("kiosk_time"), entry.get("boot_id"), entry.get("clock")
    return (
        record_id.__class__ is int
        and record_id >= 1
        and kind in KINDS
        and entry.get("mono").__class__ in (int, float)
        and kiosk_time.__class__ is str
        and len(kiosk_time) <= 40
        and boot_id.__class__ is str
        and len(boot_id) <= 64
        and clock.__class__ is str
        and len(clock) <= 8
        and not (kind in PERSONAL_KINDS and "body" in entry)
    )


def _envelope_problems(entry: dict[str, Any]) -> list[str]:
    if _envelope_ok(entry):
        return []
    problems = []
    if entry.get("kind") not in KINDS:
        problems.append(f"unknown kind {entry.get('kind')!r}")
    record_id = entry.get("id")
    if isinstance(record_id, bool) or not isinstance(record_id, int) or record_id < 1:
        problems.append("bad record id")
    if not isinstance(entry.get("mono"), int | float):
        problems.append("bad monotonic stamp")
    for name, limit in (("kiosk_time", 40), ("boot_id", 64), ("clock", 8)):
        if not isinstance(entry.get(name), str) or len(entry[name]) > limit:
            problems.append(f"bad {name}")
    if entry.get("kind") in PERSONAL_KINDS and "body" in entry:
        problems.append("a resident's record arrived unsealed")
    return problems


def _held_rows(conn: Connection, kiosk_id: str, key: str, ids: list[int]) -> Any:
    """(record id, row id) of what the hub holds of ``ids`` from this kiosk and key."""
    table = db.records.c
    return conn.execute(
        sa.select(table.record_id, table.id).where(
            table.kiosk_id == kiosk_id,
            table.kiosk_key == key,
            table.record_id.between(min(ids), max(ids)),
        )
    ).all()


def _held(conn: Connection, kiosk_id: str, key: str, ids: list[int]) -> set[int]:
    if not ids:
        return set()
    return {record_id for record_id, _ in _held_rows(conn, kiosk_id, key, ids)}


def _next_id(conn: Connection, kiosk_id: str, key: str) -> int:
    highest = conn.scalar(
        sa.select(sa.func.max(db.records.c.record_id)).where(
            db.records.c.kiosk_id == kiosk_id, db.records.c.kiosk_key == key
        )
    )
    return int(highest or 0) + 1


def _log_bundle(
    conn: Connection,
    arrival: Arrival,
    kiosk_id: str | None,
    new: int,
    dups: int,
    *,
    reason: str | None = None,
) -> None:
    conn.execute(
        sa.insert(db.bundles).values(
            kiosk_id=kiosk_id,
            received_at=arrival.received,
            transport=arrival.transport,
            size=len(arrival.data),
            sha256=hashlib.sha256(arrival.data).hexdigest(),
            outcome="rejected" if reason else "stored",
            reason=reason,
            records_new=new,
            records_dup=dups,
        )
    )
