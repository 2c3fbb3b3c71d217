"""The hub's database: what the kiosks reported, stored exactly once.

SQLAlchemy Core tables (this module is their one definition) and Alembic migrations
(kiosk/hub/migrations/, run by :func:`upgrade`, never ``create_all``). SQLite by
default (``<hub>/hub.sqlite3``, zero set-up); PostgreSQL for a kabupaten-wide hub
(``--db postgresql://...``). The same code and migrations serve both; the suite runs
against both (tests/hub/conftest.py).

Exactly once: ``records`` has UNIQUE(kiosk_id, kiosk_key, record_id), ``kiosk_key``
being the fingerprint of the kiosk key that signed the bundle: a kiosk's ids are
unique per key, and a re-imaged kiosk (new SD card, new key, enrolled again) starts its
ids at 1 again. Ingest inserts the record rows first and files their bodies into the
kind's table only when new, in one transaction; a replay, a second import of the same
stick or two pushes at once find the rows already there and store nothing twice.

All times are UTC. ``day`` is the kecamatan's calendar day (WIB, UTC+7) of the
record's ``placed_at``, the hub's estimate of when it happened (docs/reports.md, "Time").

Adding tables (issues 15, 16): define them here, then add an Alembic revision on top of
the current head in kiosk/hub/migrations/versions/ (``down_revision`` = the head).
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ..records import SURVEY_UNSUR

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

WIB = timezone(timedelta(hours=7), "WIB")
DB_FILE = "hub.sqlite3"
MIGRATIONS = Path(__file__).with_name("migrations")

_Time = sa.DateTime(timezone=True)
_Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")  # SQLite: INTEGER = rowid


def _kiosk_fk() -> sa.Column[Any]:
    return sa.Column(
        "kiosk_id", sa.String(64), sa.ForeignKey("kiosks.kiosk_id"), nullable=False, index=True
    )


def _record_fk(*, unique: bool = True) -> sa.Column[Any]:
    return sa.Column("record_pk", _Id, sa.ForeignKey("records.id"), nullable=False, unique=unique)


kiosks = sa.Table(
    "kiosks",
    metadata,
    sa.Column("kiosk_id", sa.String(64), primary_key=True),  # the village id
    sa.Column("name", sa.String(200)),
    sa.Column("public_key", sa.String(64)),  # Ed25519, hex; NULL until enrolled
    sa.Column("key_fingerprint", sa.String(32)),
    sa.Column("created_at", _Time, nullable=False),
    sa.Column("enrolled_at", _Time),
    sa.Column("revoked_at", _Time),
    sa.Column("revoked_reason", sa.Text),
    sa.Column("last_seen_at", _Time),  # hub clock, any accepted bundle
    sa.Column("last_transport", sa.String(8)),  # http | usb
)

enrollment_codes = sa.Table(
    "enrollment_codes",
    metadata,
    sa.Column("id", _Id, primary_key=True, autoincrement=True),
    _kiosk_fk(),
    sa.Column("code_hash", sa.String(64), nullable=False, unique=True),  # sha256 hex
    sa.Column("created_at", _Time, nullable=False),
    sa.Column("expires_at", _Time, nullable=False),
    sa.Column("used_at", _Time),
)

bundles = sa.Table(
    "bundles",
    metadata,
    sa.Column("id", _Id, primary_key=True, autoincrement=True),
    sa.Column("kiosk_id", sa.String(64), index=True),  # as claimed; may be unknown
    sa.Column("received_at", _Time, nullable=False),
    sa.Column("transport", sa.String(8), nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("outcome", sa.String(16), nullable=False),  # stored | rejected
    sa.Column("reason", sa.Text),
    sa.Column("records_new", sa.Integer, nullable=False, default=0),
    sa.Column("records_dup", sa.Integer, nullable=False, default=0),
)

records = sa.Table(
    "records",
    metadata,
    sa.Column("id", _Id, primary_key=True, autoincrement=True),
    _kiosk_fk(),
    # the fingerprint of the kiosk key that signed it; "" for rows written by other means
    sa.Column("kiosk_key", sa.String(32), nullable=False, server_default=""),
    sa.Column("record_id", sa.BigInteger, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("kiosk_time", sa.String(40), nullable=False),  # as the kiosk's clock said
    sa.Column("boot_id", sa.String(64), nullable=False),
    sa.Column("mono", sa.Float, nullable=False),
    sa.Column("clock", sa.String(8), nullable=False),
    sa.Column("received_at", _Time, nullable=False),
    sa.Column("placed_at", _Time, nullable=False),
    sa.Column("time_source", sa.String(16), nullable=False),
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("bundle_id", _Id, sa.ForeignKey("bundles.id")),
    sa.UniqueConstraint("kiosk_id", "kiosk_key", "record_id"),
    sa.Index(None, "kind", "day"),
)

kiosk_boots = sa.Table(
    "kiosk_boots",
    metadata,
    sa.Column("kiosk_id", sa.String(64), sa.ForeignKey("kiosks.kiosk_id"), primary_key=True),
    sa.Column("boot_id", sa.String(64), primary_key=True),
    sa.Column("offset_s", sa.Float, nullable=False),  # hub UTC epoch seconds - kiosk mono
    sa.Column("seen_at", _Time, nullable=False),
)

health = sa.Table(
    "health",
    metadata,
    sa.Column("id", _Id, primary_key=True, autoincrement=True),
    _record_fk(),
    _kiosk_fk(),
    sa.Column("received_at", _Time, nullable=False),
    sa.Column("placed_at", _Time, nullable=False),
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("app_version", sa.String(200)),
    sa.Column("catalog_version", sa.Integer),
    sa.Column("sync_last_ok", sa.String(40)),
    sa.Column("sync_last_error", sa.Text),
    sa.Column("printer_state", sa.String(16)),
    sa.Column("slips_since_last", sa.Integer),
    sa.Column("paper_left_mm", sa.Integer),
    sa.Column("disk_free_mb", sa.Integer),
    sa.Column("uptime_s", sa.BigInteger),
    sa.Column("cpu_temp_c", sa.Float),
    sa.Column("under_voltage", sa.Boolean),
    sa.Column("throttled", sa.Boolean),
    sa.Column("clock_state", sa.String(8)),
    sa.Column("outbox_records", sa.Integer),
    sa.Column("outbox_bytes", sa.Integer),
    sa.Column("body", sa.JSON, nullable=False),  # the whole record, for fields added later
)

counts = sa.Table(
    "counts",
    metadata,
    sa.Column("id", _Id, primary_key=True, autoincrement=True),
    _record_fk(unique=False),
    _kiosk_fk(),
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("hour", sa.SmallInteger),  # WIB hour 0-23; NULL for a compacted day
    sa.Column("service_id", sa.String(100), nullable=False),  # "" = the whole site
    sa.Column("metric", sa.String(32), nullable=False),  # view, slip_button, ..., portal_opens
    sa.Column("n", sa.Integer, nullable=False),
    sa.Index(None, "day", "service_id"),
)

no_hit_searches = sa.Table(
    "no_hit_searches",
    metadata,
    sa.Column("id", _Id, primary_key=True, autoincrement=True),
    _record_fk(unique=False),
    _kiosk_fk(),
    sa.Column("day", sa.Date, nullable=False, index=True),
    sa.Column("query", sa.String(200), nullable=False),
    sa.Column("n", sa.Integer, nullable=False),
)

UNSUR = SURVEY_UNSUR  # the nine SKM elements, one column each, as the kiosks send them

# Surveys are anonymous: a day and a village, no time of day, no link to a record row.
surveys = sa.Table(
    "surveys",
    metadata,
    sa.Column("id", _Id, primary_key=True, autoincrement=True),
    _kiosk_fk(),
    sa.Column("day", sa.Date, nullable=False, index=True),
    sa.Column("service_id", sa.String(100)),
    sa.Column("when", sa.String(16), nullable=False),
    *(sa.Column(f"u_{name}", sa.SmallInteger) for name in UNSUR),
    sa.Column("jenis_kelamin", sa.String(1)),
    sa.Column("usia", sa.String(20)),
    sa.Column("pendidikan", sa.String(40)),
    sa.Column("pekerjaan", sa.String(60)),
    sa.Column("saran", sa.Text),
)

feedback = sa.Table(
    "feedback",
    metadata,
    sa.Column("id", _Id, primary_key=True, autoincrement=True),
    _kiosk_fk(),
    sa.Column("day", sa.Date, nullable=False, index=True),
    sa.Column("service_id", sa.String(100), nullable=False),
    sa.Column("answer", sa.String(8), nullable=False),
    sa.Column("note", sa.Text),
)

complaints = sa.Table(
    "complaints",
    metadata,
    sa.Column("id", _Id, primary_key=True, autoincrement=True),
    sa.Column("ticket", sa.String(40), nullable=False, unique=True),
    _kiosk_fk(),
    _record_fk(),
    sa.Column("received_at", _Time, nullable=False),
    sa.Column("day", sa.Date, nullable=False, index=True),
    sa.Column("category", sa.String(32), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("contact_name", sa.String(200)),
    sa.Column("contact_phone", sa.String(40)),
    sa.Column("consent", sa.Boolean, nullable=False),
    sa.Column("status", sa.String(20), nullable=False, default="diterima"),
    sa.Column("status_changed_at", _Time, nullable=False),
    sa.Column("contact_purged_at", _Time),
    # the console (issue 15, revision 0100_console): the answer the kiosks show the
    # resident, and the SP4N-LAPOR! tracking id when the complaint was forwarded there
    sa.Column("public_answer", sa.Text),
    sa.Column("lapor_id", sa.String(64)),
)


# ---------------------------------------------------------------- engine and migrations


def default_url(hub_dir: str | Path) -> str:
    return f"sqlite:///{Path(hub_dir).resolve() / DB_FILE}"


def connect(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, a busy timeout and foreign keys."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    engine = sa.create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _alembic_config(connection: sa.Connection) -> Any:
    from alembic.config import Config as AlembicConfig

    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (default: the newest) with the Alembic migrations."""
    _migrate(engine, "upgrade", revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Take the schema back to ``revision`` (tests of a migration; a hub never needs it)."""
    _migrate(engine, "downgrade", revision)


def _migrate(engine: Engine, step: str, revision: str) -> None:
    from alembic import command

    with engine.connect() as connection:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:  # a table rebuilt in batch mode must not cascade to its children
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")  # outside a transaction
            connection.commit()
        try:
            with connection.begin():
                getattr(command, step)(_alembic_config(connection), revision)
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise RuntimeError("the migration broke a foreign key; rolled back")
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


def current_revision(engine: Engine) -> str | None:
    from alembic.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@functools.cache
def head_revision() -> str:
    from alembic.script import ScriptDirectory

    engine = connect("sqlite://")
    with engine.connect() as connection:
        head = ScriptDirectory.from_config(_alembic_config(connection)).get_current_head()
    engine.dispose()
    assert head is not None
    return head


# ---------------------------------------------------------------- small shared helpers


def utcnow() -> datetime:
    return datetime.now(UTC)


@functools.lru_cache(maxsize=4096)  # ingest asks for the same few times again and again
def wib(when: datetime) -> datetime:
    """A UTC time on the kecamatan's clock."""
    return when.astimezone(WIB)


@functools.lru_cache(maxsize=4096)
def wib_day(when: datetime) -> date:
    """The kecamatan's calendar day of a UTC time."""
    return wib(when).date()


def latest_health() -> sa.Select[Any]:
    """The newest health row of every kiosk (fleet view)."""
    newest = (
        sa.select(health.c.kiosk_id, sa.func.max(health.c.id).label("id"))
        .group_by(health.c.kiosk_id)
        .subquery()
    )
    return sa.select(health).join(newest, health.c.id == newest.c.id)
