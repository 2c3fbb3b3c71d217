"""Bulk inserts (kiosk/hub/bulk.py) store exactly what SQLAlchemy would have stored."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa

from kiosk.hub import db
from kiosk.hub.bulk import insert_dicts, insert_rows


def record(record_id: int, placed: datetime) -> dict:
    return {
        "kiosk_id": "kemlagi",
        "kiosk_key": "aaaa-bbbb",
        "record_id": record_id,
        "kind": "counts",
        "kiosk_time": "1970-01-01T00:00:10+00:00",
        "boot_id": "b",
        "mono": 10.5,
        "clock": "unknown",
        "received_at": datetime(2026, 12, 2, 3, 4, 5, 678901, tzinfo=UTC),
        "placed_at": placed,
        "time_source": "receipt",
        "day": db.wib_day(placed),
    }


def test_bulk_rows_read_back_as_sqlalchemys_own(hub_db):
    placed = datetime(2026, 11, 30, 20, 0, tzinfo=UTC)  # 1 December in WIB
    with hub_db.engine.begin() as conn:
        conn.execute(sa.insert(db.kiosks).values(kiosk_id="kemlagi", created_at=placed))
        conn.execute(sa.insert(db.records).values(**record(1, placed)))
        insert_dicts(conn, db.records, [record(2, placed), record(3, placed)])
    table = db.records
    with hub_db.engine.connect() as conn:
        rows = conn.execute(sa.select(table).order_by(table.c.record_id)).all()
        raw = conn.exec_driver_sql(
            "SELECT received_at, placed_at, day FROM records ORDER BY record_id"
        ).all()
    mine = [{k: v for k, v in row._asdict().items() if k != "id"} for row in rows]
    assert [m.pop("record_id") for m in mine] == [1, 2, 3]
    assert mine[0] == mine[1] == mine[2]
    assert mine[0]["day"] == date(2026, 12, 1) and mine[0]["mono"] == 10.5
    assert raw[0] == raw[1] == raw[2]  # the same text on SQLite, the same values on PostgreSQL


def test_bulk_text_with_tabs_backslashes_and_newlines_survives(hub_db):
    """Counts and no-hit queries are free text from the kiosk: COPY must escape them."""
    now = db.utcnow()
    nasty = ["tab\there", "back\\slash", "new\nline", "cr\rhere", "\\N", "kutip 'satu'"]
    with hub_db.engine.begin() as conn:
        conn.execute(sa.insert(db.kiosks).values(kiosk_id="kemlagi", created_at=now))
        conn.execute(sa.insert(db.records).values(**record(1, now)))
        pk = conn.scalar(sa.select(db.records.c.id))
        rows = [(pk, "kemlagi", db.wib_day(now).isoformat(), q, n) for n, q in enumerate(nasty)]
        insert_rows(conn, db.no_hit_searches, ("record_pk", "kiosk_id", "day", "query", "n"), rows)
    with hub_db.engine.connect() as conn:
        stored = conn.execute(
            sa.select(db.no_hit_searches.c.query, db.no_hit_searches.c.n).order_by(
                db.no_hit_searches.c.n
            )
        ).all()
    assert [tuple(row) for row in stored] == [(q, n) for n, q in enumerate(nasty)]
