"""The hub database: real migrations, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from kiosk.hub import db


def test_migrations_build_exactly_the_tables_db_py_declares(hub_db):
    with hub_db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == []
    assert db.current_revision(hub_db.engine) == db.head_revision()


def test_upgrade_on_a_migrated_database_changes_nothing(hub_db):
    before = sa.inspect(hub_db.engine).get_table_names()
    db.upgrade(hub_db.engine)
    assert sa.inspect(hub_db.engine).get_table_names() == before
    assert {"kiosks", "records", "health", "counts", "complaints"} <= set(before)


def test_a_record_is_stored_once_per_kiosk_and_id(hub_db):
    now = db.utcnow()
    row = {
        "kiosk_id": "kemlagi",
        "record_id": 7,
        "kind": "health",
        "kiosk_time": "1970-01-01T00:00:10+00:00",
        "boot_id": "b",
        "mono": 10.0,
        "clock": "unknown",
        "received_at": now,
        "placed_at": now,
        "time_source": "receipt",
        "day": db.wib_day(now),
    }
    with hub_db.engine.begin() as conn:
        conn.execute(sa.insert(db.kiosks).values(kiosk_id="kemlagi", created_at=now))
        conn.execute(sa.insert(db.records).values(**row))
    try:
        with hub_db.engine.begin() as conn:
            conn.execute(sa.insert(db.records).values(**row))
    except sa.exc.IntegrityError:
        pass
    with hub_db.engine.connect() as conn:
        assert conn.scalar(sa.select(sa.func.count()).select_from(db.records)) == 1


def test_migration_0200_keys_held_records_by_their_kiosks_enrolled_key(hub_db):
    db.downgrade(hub_db.engine, "0100_console")
    now = db.utcnow()
    day = db.wib_day(now)
    with hub_db.engine.begin() as conn:
        conn.execute(
            sa.insert(db.kiosks),
            [
                {"kiosk_id": "kemlagi", "created_at": now, "key_fingerprint": "aaaa-bbbb"},
                {"kiosk_id": "watesprojo", "created_at": now, "key_fingerprint": None},
            ],
        )
        for pk, kiosk in ((1, "kemlagi"), (2, "watesprojo")):
            conn.execute(
                sa.text(
                    "INSERT INTO records (id, kiosk_id, record_id, kind, kiosk_time, boot_id,"
                    " mono, clock, received_at, placed_at, time_source, day) VALUES (:pk,"
                    " :kiosk, 1, 'counts', 'x', 'b', 1.0, 'ok', :now, :now, 'receipt', :day)"
                ),
                {"pk": pk, "kiosk": kiosk, "now": now, "day": day},
            )
            conn.execute(
                sa.insert(db.counts).values(
                    record_pk=pk, kiosk_id=kiosk, day=day, service_id="kk", metric="view", n=3
                )
            )
    db.upgrade(hub_db.engine)
    with hub_db.engine.connect() as conn:
        held = conn.execute(sa.select(db.records.c.id, db.records.c.kiosk_key)).all()
        assert sorted(tuple(row) for row in held) == [(1, "aaaa-bbbb"), (2, "")]
        assert conn.scalar(sa.select(sa.func.sum(db.counts.c.n))) == 6  # children kept
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == []
