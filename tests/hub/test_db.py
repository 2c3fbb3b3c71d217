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
