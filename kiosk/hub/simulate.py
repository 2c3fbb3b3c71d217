"""Simulated kiosk reports written straight into a hub database: the demo hub, the
console's tests and the benchmark's year of data (bench/console.py).

Every row goes in as the report endpoint would file it (a ``records`` row first, then
the kind's table), but without bundles, seals or signatures: this is made-up data for
showing and measuring the console, never a way to feed a real hub.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from itertools import count
from typing import Any

import sqlalchemy as sa

from . import db, filing
from .ikm import UNSUR_KEYS
from .utc import WIB

BATCH = 20_000
AGES = ("<20", "20-29", "30-39", "40-49", "50-59", "60+")
EDUCATION = ("SD", "SMP", "SMA", "D3", "S1", "S2")
JOBS = ("PNS", "TNI/POLRI", "Swasta", "Wirausaha", "Petani", "Lainnya")
SARAN = (
    "Petugas ramah, tapi antre lama.",
    "Mohon ditambah kursi tunggu.",
    "Persyaratan di kios jelas, terima kasih.",
    "Jam pelayanan sebaiknya sampai sore.",
    "Informasi biaya perlu lebih jelas.",
)
NOTES = ("Ternyata perlu fotokopi KK juga.", "Formulir harus diambil di desa dulu.", None)
NO_HITS = ("surat domisili usaha", "bpjs", "kartu tani", "izin hajatan", "paspor")
COMPLAINTS = (
    "KTP saya belum jadi setelah dua bulan.",
    "Printer kios di balai desa tidak keluar kertas.",
    "Informasi syarat akta kelahiran di kios berbeda dengan di kecamatan.",
    "Petugas pelayanan tidak ada di tempat jam 10 pagi.",
)


@dataclass
class Sim:
    """A writer of simulated records for one database."""

    engine: sa.Engine
    rng: random.Random = field(default_factory=lambda: random.Random(15))
    _ids: Iterator[int] = field(default_factory=lambda: count(1))

    def kiosks(self, ids: Sequence[tuple[str, str]], *, at: datetime) -> None:
        with self.engine.begin() as conn:
            known = set(conn.execute(sa.select(db.kiosks.c.kiosk_id)).scalars())
            new = [
                {"kiosk_id": k, "name": n, "created_at": at, "enrolled_at": at}
                for k, n in ids
                if k not in known
            ]
            if new:
                conn.execute(sa.insert(db.kiosks), new)
            top = conn.execute(sa.select(sa.func.max(db.records.c.record_id))).scalar()
        self._ids = count((top or 0) + 1)

    def record(self, kiosk_id: str, kind: str, placed: datetime) -> dict[str, Any]:
        """A ``records`` row (its ``id`` is assigned by the caller for bulk inserts)."""
        return {
            "kiosk_id": kiosk_id,
            "record_id": next(self._ids),
            "kind": kind,
            "kiosk_time": placed.isoformat(),
            "boot_id": "sim",
            "mono": 0.0,
            "clock": "ok",
            "received_at": placed,
            "placed_at": placed,
            "time_source": "kiosk",
            "day": placed.astimezone(WIB).date(),
        }

    def add(self, conn: sa.Connection, kiosk_id: str, kind: str, placed: datetime) -> int:
        """Insert one record row; returns its primary key."""
        result = conn.execute(sa.insert(db.records).values(**self.record(kiosk_id, kind, placed)))
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])

    def health(self, kiosk_id: str, placed: datetime, **changes: Any) -> None:
        body = health_body(self.rng, placed, **changes)
        with self.engine.begin() as conn:
            pk = self.add(conn, kiosk_id, "health", placed)
            conn.execute(sa.insert(db.health).values(health_row(pk, kiosk_id, placed, body)))
            conn.execute(
                sa.update(db.kiosks)
                .where(db.kiosks.c.kiosk_id == kiosk_id)
                .values(last_seen_at=placed, last_transport="http")
            )

    def survey(self, kiosk_id: str, day: date, service_id: str | None, **answers: Any) -> None:
        row = survey_row(self.rng, kiosk_id, day, service_id)
        row.update({f"u_{k}": v for k, v in answers.items()})
        with self.engine.begin() as conn:
            conn.execute(sa.insert(db.surveys).values(**row))

    def feedback(
        self, kiosk_id: str, day: date, service_id: str, answer: str, note: str | None
    ) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                sa.insert(db.feedback).values(
                    kiosk_id=kiosk_id, day=day, service_id=service_id, answer=answer, note=note
                )
            )

    def complaint(self, kiosk_id: str, ticket: str, placed: datetime, **values: Any) -> None:
        with self.engine.begin() as conn:
            pk = self.add(conn, kiosk_id, "complaint", placed)
            row = complaint_row(self.rng, pk, kiosk_id, ticket, placed)
            row.update(values)
            conn.execute(sa.insert(db.complaints).values(**row))

    def counts(
        self,
        kiosk_id: str,
        placed: datetime,
        services: dict[str, dict[str, int]],
        no_hit: dict[str, int] | None = None,
    ) -> None:
        day = placed.astimezone(WIB).date()
        hour = placed.astimezone(WIB).hour
        with self.engine.begin() as conn:
            pk = self.add(conn, kiosk_id, "counts", placed)
            rows = [
                {
                    "record_pk": pk,
                    "kiosk_id": kiosk_id,
                    "day": day,
                    "hour": hour,
                    "service_id": sid,
                    "metric": metric,
                    "n": n,
                }
                for sid, metrics in services.items()
                for metric, n in metrics.items()
            ]
            if rows:
                conn.execute(sa.insert(db.counts), rows)
            hits = [
                {"record_pk": pk, "kiosk_id": kiosk_id, "day": day, "query": q, "n": n}
                for q, n in (no_hit or {}).items()
            ]
            if hits:
                conn.execute(sa.insert(db.no_hit_searches), hits)


def health_body(rng: random.Random, placed: datetime, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "app_version": "0.1.0",
        "catalog_version": 3,
        "sync": {"last_ok": placed.isoformat(), "last_error": None, "last_error_at": None},
        "printer": {
            "state": "ok",
            "slips_since_last": rng.randint(0, 12),
            "paper_left_mm": rng.randint(5000, 30000),
        },
        "disk_free_mb": rng.randint(2000, 12000),
        "uptime_s": rng.randint(3600, 900000),
        "cpu_temp_c": round(rng.uniform(42, 62), 1),
        "throttled": {"under_voltage": False, "throttled": False},
        "clock": {"state": "ok"},
        "outbox": {"records": rng.randint(0, 20), "bytes": rng.randint(0, 20000)},
    }
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(body.get(key), dict):
            body[key] = {**body[key], **value}
        else:
            body[key] = value
    return body


def health_row(pk: int, kiosk_id: str, placed: datetime, body: dict[str, Any]) -> dict[str, Any]:
    """A simulated health row, placed at ``placed`` as if received then."""
    day = placed.astimezone(WIB).date()
    where = {"kiosk_id": kiosk_id, "received_at": placed, "placed_at": placed, "day": day}
    return filing.health_row(pk, where, body)


def survey_row(
    rng: random.Random, kiosk_id: str, day: date, service_id: str | None
) -> dict[str, Any]:
    lean = rng.choice((2, 3, 3, 3, 4))
    row: dict[str, Any] = {
        f"u_{key}": min(4, max(1, lean + rng.choice((-1, 0, 0, 0, 1)))) for key in UNSUR_KEYS
    }
    row.update(
        kiosk_id=kiosk_id,
        day=day,
        service_id=service_id,
        when="minggu-ini",
        jenis_kelamin=rng.choice(("L", "P", None)),
        usia=rng.choice(AGES),
        pendidikan=rng.choice(EDUCATION),
        pekerjaan=rng.choice(JOBS),
        saran=rng.choice(SARAN) if rng.random() < 0.15 else None,
    )
    return row


def complaint_row(
    rng: random.Random, pk: int, kiosk_id: str, ticket: str, placed: datetime
) -> dict[str, Any]:
    with_contact = rng.random() < 0.5
    return {
        "ticket": ticket,
        "kiosk_id": kiosk_id,
        "record_pk": pk,
        "received_at": placed,
        "day": placed.astimezone(WIB).date(),
        "category": rng.choice(
            ("pelayanan_kecamatan", "dukcapil", "info_kios_salah", "kios_rusak", "lainnya")
        ),
        "text": rng.choice(COMPLAINTS),
        "contact_name": "Warga Contoh" if with_contact else None,
        "contact_phone": "0812" + "".join(rng.choice("0123456789") for _ in range(7))
        if with_contact
        else None,
        "consent": with_contact,
        "status": "diterima",
        "status_changed_at": placed,
    }


def at_wib(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), WIB).astimezone(UTC)


def ticket_code(rng: random.Random) -> str:
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return (
        "".join(rng.choice(letters) for _ in range(4))
        + "-"
        + "".join(rng.choice(letters) for _ in range(4))
    )
