"""A generated year of reports from N kiosks, bulk-written into a hub database.

Rows look like what the report endpoint files (kiosk/hub/simulate.py builds each one);
this module only makes many of them fast: a kiosk at a time, explicit record ids so the
counts can point at their record, big executemany batches.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
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


def kiosk_ids(count: int) -> list[tuple[str, str]]:
    villages = [(v.id, v.name) for v in load_release(bundled_release_path()).villages]
    extra = [(f"desa-{i:03d}", f"Desa {i:03d}") for i in range(len(villages) + 1, count + 1)]
    return (villages + extra)[:count]


class Writer:
    def __init__(self, engine: sa.Engine):
        self.engine = engine
        with engine.connect() as conn:
            top = conn.execute(sa.select(sa.func.max(db.records.c.id))).scalar()
        self.next_id = (top or 0) + 1
        self.rows = {"records": 0, "counts": 0, "health": 0}

    def record(self, kiosk: str, seq: int, kind: str, placed: Any) -> dict[str, Any]:
        row = {
            "id": self.next_id,
            "kiosk_id": kiosk,
            "record_id": seq,
            "kind": kind,
            "kiosk_time": placed.isoformat(),
            "boot_id": "bench",
            "mono": 0.0,
            "clock": "ok",
            "received_at": placed,
            "placed_at": placed,
            "time_source": "kiosk",
            "day": placed.astimezone(db.WIB).date(),
        }
        self.next_id += 1
        return row


def kiosk_year(
    w: Writer, rng: random.Random, kiosk: str, days: list[date], services: list[str]
) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {"records": [], "counts": [], "health": [], "no_hit": []}
    seq = 0
    popular = rng.sample(services, 6)
    for day in days:
        for hour in HOURS:
            seq += 1
            placed = at_wib(day, hour)
            rec = w.record(kiosk, seq, "counts", placed)
            out["records"].append(rec)
            for _ in range(rng.choice((4, 5, 6, 6, 7))):
                sid = rng.choice(popular) if rng.random() < 0.7 else rng.choice(services)
                out["counts"].append(
                    {
                        "record_pk": rec["id"],
                        "kiosk_id": kiosk,
                        "day": day,
                        "hour": hour,
                        "service_id": sid,
                        "metric": rng.choice(METRICS),
                        "n": rng.randint(1, 6),
                    }
                )
            if rng.random() < 0.01:
                out["no_hit"].append(
                    {
                        "record_pk": rec["id"],
                        "kiosk_id": kiosk,
                        "day": day,
                        "query": rng.choice(NO_HITS),
                        "n": 1,
                    }
                )
        for hour in HEALTH_HOURS:
            seq += 1
            placed = at_wib(day, hour)
            rec = w.record(kiosk, seq, "health", placed)
            out["records"].append(rec)
            body = health_body(rng, placed)
            out["health"].append(health_row(rec["id"], kiosk, placed, body))
    return out


def copy_rows(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL's COPY (psycopg): several times faster than INSERTs for bulk data."""
    columns = list(rows[0])
    raw = conn.connection.dbapi_connection
    assert raw is not None
    with raw.cursor() as cursor:
        statement = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
        with cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([json.dumps(v) if isinstance(v, dict) else v for v in row.values()])


def write(conn: sa.Connection, batch: dict[str, list[dict[str, Any]]]) -> None:
    if conn.dialect.name == "postgresql":
        for table, key in ((db.records, "records"), (db.counts, "counts"), (db.health, "health")):
            copy_rows(conn, table, batch[key])
    else:
        conn.execute(sa.insert(db.records), batch["records"])
        conn.execute(sa.insert(db.counts), batch["counts"])
        conn.execute(sa.insert(db.health), batch["health"])
    if batch["no_hit"]:
        conn.execute(sa.insert(db.no_hit_searches), batch["no_hit"])


def forms(
    w: Writer, rng: random.Random, kiosks: list[str], days: list[date], services: list[str]
) -> dict[str, list[dict[str, Any]]]:
    surveys = [
        survey_row(rng, rng.choice(kiosks), rng.choice(days), rng.choice(services))
        for _ in range(30_000)
    ]
    feedback = []
    for _ in range(30_000):
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
    for i in range(3_000):
        kiosk, placed = rng.choice(kiosks), at_wib(rng.choice(days), 10)
        rec = w.record(kiosk, 10_000_000 + i, "complaint", placed)
        records.append(rec)
        ticket = ticket_code(rng)
        while ticket in seen:
            ticket = ticket_code(rng)
        seen.add(ticket)
        row = complaint_row(rng, rec["id"], kiosk, ticket, placed)
        row["status"] = rng.choice(("diterima", "diverifikasi", "selesai", "selesai", "selesai"))
        complaints.append(row)
    return {"surveys": surveys, "feedback": feedback, "records": records, "complaints": complaints}


def generate(engine: sa.Engine, *, kiosks: int, today: date, rng: random.Random) -> dict[str, Any]:
    catalog = load_release(bundled_release_path())
    services = [s.id for s in catalog.services]
    ids = kiosk_ids(kiosks)
    days = [today - timedelta(days=back) for back in range(364, -1, -1)]
    w = Writer(engine)
    with engine.begin() as conn:
        conn.execute(
            sa.insert(db.kiosks),
            [
                {
                    "kiosk_id": k,
                    "name": n,
                    "created_at": at_wib(days[0], 7),
                    "enrolled_at": at_wib(days[0], 7),
                    "last_seen_at": at_wib(today, 15),
                }
                for k, n in ids
            ],
        )
    totals = {"counts": 0, "records": 0, "health": 0}
    for kiosk, _ in ids:
        batch = kiosk_year(w, rng, kiosk, days, services)
        with engine.begin() as conn:
            write(conn, batch)
        for key in totals:
            totals[key] += len(batch[key])
    extra = forms(w, rng, [k for k, _ in ids], days, services)
    with engine.begin() as conn:
        conn.execute(sa.insert(db.records), extra["records"])
        conn.execute(sa.insert(db.complaints), extra["complaints"])
        conn.execute(sa.insert(db.surveys), extra["surveys"])
        conn.execute(sa.insert(db.feedback), extra["feedback"])
        if engine.dialect.name == "postgresql":
            conn.execute(
                sa.text(
                    "SELECT setval(pg_get_serial_sequence('records', 'id'), "
                    "(SELECT max(id) FROM records))"
                )
            )
            conn.execute(sa.text("ANALYZE"))
        else:
            conn.execute(sa.text("ANALYZE"))
    totals["records"] += len(extra["records"])
    return {
        **totals,
        "surveys": 30_000,
        "complaints": 3_000,
        "kiosks": kiosks,
        "ticket": extra["complaints"][0]["ticket"],
        "village": ids[0][0],
    }
