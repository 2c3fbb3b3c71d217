"""Filing records into the tables the console reads, one table per kind.

Rows are collected for a whole bundle and written with one bulk insert per table
(kiosk/hub/bulk.py: a month's backlog of a kiosk is thousands of rows). Counts, the
bulk of them, go straight from the body to driver-ready tuples.
Residents' tables keep only what the console needs: a survey has a day and a village,
no time of day and no link back to its record row (it cannot be joined to a complaint).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from . import db
from .bulk import Binder, insert_dicts, insert_rows
from .placing import Placer

COUNT_NAMES = ("record_pk", "kiosk_id", "day", "hour", "service_id", "metric", "n")
NO_HIT_NAMES = ("record_pk", "kiosk_id", "day", "query", "n")


class Filing:
    """The rows of one bundle's new records, per table."""

    def __init__(self, conn: Connection, placer: Placer):
        self.placer = placer
        self.rows: dict[sa.Table, list[dict[str, Any]]] = defaultdict(list)
        self.counts: list[tuple[Any, ...]] = []
        self.no_hit: list[tuple[Any, ...]] = []
        self.day = Binder(conn, db.counts.c.day)

    def add(self, pk: int, row: dict[str, Any], body: dict[str, Any]) -> None:
        getattr(self, f"_{row['kind']}")(pk, row, body)

    def flush(self, conn: Connection) -> None:
        _unique_tickets(conn, self.rows.get(db.complaints, []))
        insert_rows(conn, db.counts, COUNT_NAMES, self.counts)
        insert_rows(conn, db.no_hit_searches, NO_HIT_NAMES, self.no_hit)
        for table in (db.surveys, db.feedback):  # no JSON, no defaults: the fast road
            insert_dicts(conn, table, self.rows.pop(table, []))
        for table in db.metadata.sorted_tables:  # parents before children
            rows = self.rows.get(table)
            if rows:
                conn.execute(sa.insert(table), rows)
        self.rows.clear()
        self.counts, self.no_hit = [], []

    # ------------------------------------------------------------ kinds

    def _health(self, pk: int, row: dict[str, Any], body: dict[str, Any]) -> None:
        self.rows[db.health].append(health_row(pk, row, body))

    def _counts(self, pk: int, row: dict[str, Any], body: dict[str, Any]) -> None:
        when, _ = self.placer.place(body["boot_id"], body["mono_start"], body["hour"], row["clock"])
        local = db.wib(when)
        day, kiosk = self.day(local.date()), row["kiosk_id"]
        hour = None if body.get("compacted") == "day" else local.hour
        out = self.counts
        for service, metrics in body["services"].items():
            for metric, n in metrics.items():
                if n:
                    out.append((pk, kiosk, day, hour, service, metric, n))
        if body["portal_opens"]:
            out.append((pk, kiosk, day, hour, "", "portal_opens", body["portal_opens"]))
        for query, n in body["no_hit"].items():
            self.no_hit.append((pk, kiosk, day, query, n))

    def _survey(self, pk: int, row: dict[str, Any], body: dict[str, Any]) -> None:
        answers, who = body["answers"], body["respondent"]
        self.rows[db.surveys].append(
            {
                "kiosk_id": row["kiosk_id"],
                "day": row["day"],
                "service_id": body["service"],
                "when": body["when"],
                **{f"u_{name}": answers.get(name) for name in db.UNSUR},
                "jenis_kelamin": who["jenis_kelamin"],
                "usia": who["usia"],
                "pendidikan": who["pendidikan"],
                "pekerjaan": who["pekerjaan"],
                "saran": body["saran"],
            }
        )

    def _feedback(self, pk: int, row: dict[str, Any], body: dict[str, Any]) -> None:
        self.rows[db.feedback].append(
            {
                "kiosk_id": row["kiosk_id"],
                "day": row["day"],
                "service_id": body["service"],
                "answer": body["answer"],
                "note": body["note"],
            }
        )

    def _complaint(self, pk: int, row: dict[str, Any], body: dict[str, Any]) -> None:
        contact = body.get("contact") or {}
        received: datetime = row["received_at"]
        self.rows[db.complaints].append(
            {
                "ticket": body["ticket"],
                "kiosk_id": row["kiosk_id"],
                "record_pk": pk,
                "received_at": received,
                "day": row["day"],
                "category": body["category"],
                "text": body["text"],
                "contact_name": contact.get("name") if body["consent"] else None,
                "contact_phone": contact.get("phone") if body["consent"] else None,
                "consent": body["consent"],
                "status": "diterima",
                "status_changed_at": received,
            }
        )


def _unique_tickets(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """A ticket number the hub already holds (a kiosk's counter reset) gets a suffix
    instead of failing the bundle: the complaint is never lost."""
    if not rows:
        return
    wanted = [row["ticket"] for row in rows]
    taken = set(
        conn.scalars(sa.select(db.complaints.c.ticket).where(db.complaints.c.ticket.in_(wanted)))
    )
    for row in rows:
        if row["ticket"] in taken:
            row["ticket"] = f"{row['ticket'][:30]}-{row['record_pk']}"
        taken.add(row["ticket"])


def health_row(pk: int, placed: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    """One ``health`` table row from a record body; ``placed`` gives kiosk id and dates."""
    printer, sync = body["printer"], body["sync"]
    throttled = body.get("throttled") or {}
    return {
        "record_pk": pk,
        "kiosk_id": placed["kiosk_id"],
        "received_at": placed["received_at"],
        "placed_at": placed["placed_at"],
        "day": placed["day"],
        "app_version": body["app_version"],
        "catalog_version": body["catalog_version"],
        "sync_last_ok": sync["last_ok"],
        "sync_last_error": sync["last_error"],
        "printer_state": printer["state"],
        "slips_since_last": printer["slips_since_last"],
        "paper_left_mm": printer["paper_left_mm"],
        "disk_free_mb": body["disk_free_mb"],
        "uptime_s": body["uptime_s"],
        "cpu_temp_c": body["cpu_temp_c"],
        "under_voltage": throttled.get("under_voltage"),
        "throttled": throttled.get("throttled"),
        "clock_state": body["clock"]["state"],
        "outbox_records": body["outbox"]["records"],
        "outbox_bytes": body["outbox"]["bytes"],
        "body": body,
    }
