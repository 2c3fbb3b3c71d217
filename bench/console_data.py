"""A generated year of reports from N kiosks, bulk-written into a hub database.

Rows look like what the report endpoint files (kiosk/hub/simulate.py builds the health,
survey and complaint rows); this module only makes many of them fast: plain tuples,
one transaction, the big tables' plain indexes built once at the end, SQLite's
``executemany`` with journal and sync off during the load, PostgreSQL's ``COPY`` with
foreign-key triggers off (bench/console_cache.py keeps the result, so this runs once).
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from functools import cache
from typing import Any

import sqlalchemy as sa

from kiosk.catalog.release import bundled_release_path, load_release
from kiosk.hub import db
from kiosk.hub.simulate import (
    NO_HITS,
    NOTES,
    at_wib,
    complaint_row,
    health_body,
    health_row,
    survey_row,
    ticket_code,
)

HOURS = range(8, 16)  # office hours, WIB
METRICS = ("view", "view", "view", "slip_button", "slip_site", "feedback_sesuai")
HEALTH_HOURS = (7, 11, 15, 19)
ROWS_PER_HOUR = (4, 5, 6, 6, 7)
SURVEYS = FEEDBACK = 30_000
COMPLAINTS = 3_000
BULK = (db.records, db.counts, db.health, db.no_hit_searches)  # written with raw tuples

RECORD_COLUMNS = (
    "id kiosk_id record_id kind kiosk_time boot_id mono clock received_at placed_at time_source day"
).split()
COUNT_COLUMNS = "record_pk kiosk_id day hour service_id metric n".split()
NO_HIT_COLUMNS = "record_pk kiosk_id day query n".split()
HEALTH_COLUMNS = [c.name for c in db.health.c if c.name != "id"]
COLUMNS = {
    "records": RECORD_COLUMNS,
    "counts": COUNT_COLUMNS,
    "health": HEALTH_COLUMNS,
    "no_hit_searches": NO_HIT_COLUMNS,
}


def kiosk_ids(count: int) -> list[tuple[str, str]]:
    villages = [(v.id, v.name) for v in load_release(bundled_release_path()).villages]
    extra = [(f"desa-{i:03d}", f"Desa {i:03d}") for i in range(len(villages) + 1, count + 1)]
    return (villages + extra)[:count]


class Values:
    """Dates, times and JSON as the dialect's driver takes them (SQLAlchemy's own bind
    processors, so SQLite gets exactly the strings an ordinary insert would store)."""

    def __init__(self, dialect: sa.Dialect):
        def processor(column: sa.Column[Any]) -> Callable[[Any], Any]:
            found = column.type.dialect_impl(dialect).bind_processor(dialect)
            return found or (lambda value: value)

        self.day = cache(processor(db.counts.c.day))
        self.time = cache(processor(db.records.c.placed_at))
        self.json = processor(db.health.c.body)
        if dialect.name == "postgresql":  # COPY takes the JSON text
            self.json = json.dumps


class Batch:
    """One kiosk's year as tuples per table (records carry explicit ids)."""

    def __init__(self, values: Values, first_id: int):
        self.v = values
        self.next_id = first_id
        self.rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in COLUMNS}

    def record(self, kiosk: str, seq: int, kind: str, day: date, hour: int) -> int:
        placed = at_wib(day, hour)
        at = self.v.time(placed)
        pk = self.next_id
        self.next_id += 1
        self.rows["records"].append(
            (pk, kiosk, seq, kind, placed.isoformat(), "bench", 0.0, "ok", at, at, "kiosk",
             self.v.day(day))
        )  # fmt: skip
        return pk

    def health(self, pk: int, kiosk: str, day: date, hour: int, body: dict[str, Any]) -> None:
        row = health_row(pk, kiosk, at_wib(day, hour), body)
        row.update(
            received_at=self.v.time(row["received_at"]),
            placed_at=self.v.time(row["placed_at"]),
            day=self.v.day(row["day"]),
            body=self.v.json(row["body"]),
        )
        self.rows["health"].append(tuple(row[c] for c in HEALTH_COLUMNS))


def kiosk_year(
    batch: Batch, rng: random.Random, kiosk: str, days: list[date], services: list[str]
) -> None:
    seq = 0
    popular = rng.sample(services, 6)
    counts, no_hit = batch.rows["counts"], batch.rows["no_hit_searches"]
    rand, n_services, n_metrics = rng.random, len(services), len(METRICS)
    for day in days:
        stored_day = batch.v.day(day)
        for hour in HOURS:
            seq += 1
            pk = batch.record(kiosk, seq, "counts", day, hour)
            for _ in range(ROWS_PER_HOUR[int(rand() * 5)]):  # random() and int(): 3x choice()
                if rand() < 0.7:
                    sid = popular[int(rand() * 6)]
                else:
                    sid = services[int(rand() * n_services)]
                metric = METRICS[int(rand() * n_metrics)]
                counts.append((pk, kiosk, stored_day, hour, sid, metric, 1 + int(rand() * 6)))
            if rand() < 0.01:
                no_hit.append((pk, kiosk, stored_day, NO_HITS[int(rand() * len(NO_HITS))], 1))
        for hour in HEALTH_HOURS:
            seq += 1
            pk = batch.record(kiosk, seq, "health", day, hour)
            batch.health(pk, kiosk, day, hour, health_body(rng, at_wib(day, hour)))


class Year:
    """The kiosks' batches one after the other, record ids running on."""

    def __init__(self, values: Values, rng: random.Random, days: list[date], services: list[str]):
        self.values, self.rng, self.days, self.services = values, rng, days, services
        self.next_id = 1
        self.totals = dict.fromkeys(COLUMNS, 0)

    def kiosk(self, kiosk: str) -> Batch:
        batch = Batch(self.values, self.next_id)
        kiosk_year(batch, self.rng, kiosk, self.days, self.services)
        self.next_id = batch.next_id
        for table, rows in batch.rows.items():
            self.totals[table] += len(rows)
        return batch


# ---------------------------------------------------------------- writing


def _insert_sql(table: str) -> str:
    columns = COLUMNS[table]
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def write_sqlite(raw: Any, batch: Batch) -> None:
    for table, rows in batch.rows.items():
        if rows:
            raw.executemany(_insert_sql(table), rows)


def write_postgresql(raw: Any, batch: Batch) -> None:
    with raw.cursor() as cursor:
        for table, rows in batch.rows.items():
            if not rows:
                continue
            with cursor.copy(f"COPY {table} ({', '.join(COLUMNS[table])}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)


def _plain_indexes() -> list[sa.Index]:
    return [ix for table in BULK for ix in table.indexes if not ix.unique]


def _bulk_load(engine: sa.Engine, batches: Iterable[Batch]) -> None:
    """Drop the big tables' plain indexes, write every batch through the raw connection
    in one transaction, then build the indexes again."""
    with engine.begin() as conn:
        for index in _plain_indexes():
            index.drop(conn)
    postgres = engine.dialect.name == "postgresql"
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if postgres:
            cursor.execute("SET session_replication_role = replica")  # no FK triggers
        else:
            for pragma in ("foreign_keys=OFF", "journal_mode=OFF", "synchronous=OFF"):
                cursor.execute(f"PRAGMA {pragma}")
            cursor.execute("PRAGMA cache_size=-1000000")
        for batch in batches:
            if postgres:
                write_postgresql(raw, batch)
            else:
                write_sqlite(cursor, batch)
        raw.commit()
        if postgres:
            cursor.execute("RESET session_replication_role")
        else:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
        raw.commit()
        cursor.close()
    finally:
        raw.close()
    with engine.begin() as conn:
        for index in _plain_indexes():
            index.create(conn)


# ---------------------------------------------------------------- the small tables


def forms(
    rng: random.Random, kiosks: list[str], days: list[date], services: list[str], first_id: int
) -> dict[str, list[dict[str, Any]]]:
    surveys = [
        survey_row(rng, rng.choice(kiosks), rng.choice(days), rng.choice(services))
        for _ in range(SURVEYS)
    ]
    feedback = []
    for _ in range(FEEDBACK):
        answer = "kurang" if rng.random() < 0.25 else "sesuai"
        feedback.append(
            {
                "kiosk_id": rng.choice(kiosks),
                "day": rng.choice(days),
                "service_id": rng.choice(services),
                "answer": answer,
                "note": rng.choice(NOTES) if answer == "kurang" else None,
            }
        )
    records, complaints, seen = [], [], set()
    for i in range(COMPLAINTS):
        kiosk, placed = rng.choice(kiosks), at_wib(rng.choice(days), 10)
        pk = first_id + i
        records.append(_record_dict(pk, kiosk, 10_000_000 + i, placed))
        ticket = ticket_code(rng)
        while ticket in seen:
            ticket = ticket_code(rng)
        seen.add(ticket)
        row = complaint_row(rng, pk, kiosk, ticket, placed)
        row["status"] = rng.choice(("diterima", "diverifikasi", "selesai", "selesai", "selesai"))
        complaints.append(row)
    return {"surveys": surveys, "feedback": feedback, "records": records, "complaints": complaints}


def _record_dict(pk: int, kiosk: str, seq: int, placed: Any) -> dict[str, Any]:
    values = (pk, kiosk, seq, "complaint", placed.isoformat(), "bench", 0.0, "ok", placed,
              placed, "kiosk", db.wib_day(placed))  # fmt: skip
    return dict(zip(RECORD_COLUMNS, values, strict=True))


def _kiosk_rows(ids: Iterable[tuple[str, str]], days: list[date], today: date) -> list[dict]:
    start = at_wib(days[0], 7)
    return [
        {
            "kiosk_id": k,
            "name": n,
            "created_at": start,
            "enrolled_at": start,
            "last_seen_at": at_wib(today, 15),
        }
        for k, n in ids
    ]


def generate(engine: sa.Engine, *, kiosks: int, today: date, rng: random.Random) -> dict[str, Any]:
    """Write the year into an empty, migrated hub database; returns what was written."""
    services = [s.id for s in load_release(bundled_release_path()).services]
    ids = kiosk_ids(kiosks)
    days = [today - timedelta(days=back) for back in range(364, -1, -1)]
    with engine.begin() as conn:
        conn.execute(sa.insert(db.kiosks), _kiosk_rows(ids, days, today))
    year = Year(Values(engine.dialect), rng, days, services)
    _bulk_load(engine, (year.kiosk(kiosk) for kiosk, _ in ids))
    extra = forms(rng, [k for k, _ in ids], days, services, year.next_id)
    with engine.begin() as conn:
        for table in (db.records, db.complaints, db.surveys, db.feedback):
            conn.execute(sa.insert(table), extra[table.name])
        if engine.dialect.name == "postgresql":
            conn.execute(
                sa.text(
                    "SELECT setval(pg_get_serial_sequence('records', 'id'), "
                    "(SELECT max(id) FROM records))"
                )
            )
    return {
        "counts": year.totals["counts"],
        "records": year.totals["records"] + COMPLAINTS,
        "health": year.totals["health"],
        "surveys": SURVEYS,
        "complaints": COMPLAINTS,
        "kiosks": kiosks,
        "ticket": extra["complaints"][0]["ticket"],
        "village": ids[0][0],
    }
