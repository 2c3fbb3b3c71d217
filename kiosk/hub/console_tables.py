"""The console's own tables (users, audit log, login attempts, complaint history,
settings, service-user counts), created by its Alembic revision on top of the report
tables of kiosk/hub/db.py."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from .db import UNSUR, health, metadata, surveys

_Time = DateTime(timezone=True)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("role", String(16), nullable=False),  # admin | petugas
    Column("password_hash", String(255), nullable=False),
    Column("created_at", _Time, nullable=False),
    Column("disabled_at", _Time),
    # bumped on password change / logout everywhere: old session cookies stop working
    Column("session_version", Integer, nullable=False, default=1),
)

login_attempts = Table(
    "login_attempts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False),
    Column("addr", String(64), nullable=False),  # staff PC on the kecamatan LAN, kept 1 day
    Column("at", _Time, nullable=False),
    Column("ok", Boolean, nullable=False),
    Index("ix_login_attempts_name_at", "name", "at"),
    Index("ix_login_attempts_addr_at", "addr", "at"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", _Time, nullable=False, index=True),
    Column("user_name", String(64), nullable=False),
    Column("action", String(64), nullable=False),  # e.g. complaint.status, user.add
    Column("target", String(128), nullable=False, default=""),
    Column("detail", Text, nullable=False, default=""),  # JSON, never a contact or password
)

complaint_history = Table(
    "complaint_history",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("ticket", String(64), nullable=False, index=True),
    Column("at", _Time, nullable=False),
    Column("user_name", String(64), nullable=False),
    Column("from_status", String(32), nullable=False),
    Column("to_status", String(32), nullable=False),
    Column("note", Text, nullable=False, default=""),
)

console_settings = Table(
    "console_settings",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", Text, nullable=False),  # JSON
)

service_users = Table(
    "service_users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("village_id", String(64), nullable=False, default=""),  # "" = whole kecamatan
    Column("users", Integer, nullable=False),
    UniqueConstraint("period_start", "period_end", "village_id"),
)

# Demand counts summed per week and month, per kiosk and for the whole fleet
# (kiosk_id ""), so a page reads hundreds of rows, not millions (docs/performance.md).
demand_rollup = Table(
    "demand_rollup",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("grain", String(5), nullable=False),  # week | month
    Column("period_start", Date, nullable=False),
    Column("kiosk_id", String(64), nullable=False),
    Column("service_id", String(100), nullable=False),
    Column("metric", String(32), nullable=False),
    Column("n", BigInteger, nullable=False),
    UniqueConstraint("grain", "kiosk_id", "period_start", "service_id", "metric"),
)

rollup_state = Table(
    "rollup_state",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("last_id", BigInteger, nullable=False),  # counts.id folded in so far
    Column("refreshed_at", _Time, nullable=False),
)

# The fleet page reads each kiosk's newest health row: one index seek per kiosk.
Index("ix_health_kiosk_id_id", health.c.kiosk_id, health.c.id)

# The SKM report reads only these columns: SQLite answers it from the index alone (a
# year of surveys in one sequential read, no row lookups). docs/performance.md
Index(
    "ix_surveys_report",
    surveys.c.day,
    surveys.c.kiosk_id,
    surveys.c.service_id,
    *(surveys.c[f"u_{name}"] for name in UNSUR),
    surveys.c.jenis_kelamin,
    surveys.c.usia,
    surveys.c.pendidikan,
    surveys.c.pekerjaan,
)

# The saran list: only the surveys with a text (most have none), newest first.
Index(
    "ix_surveys_saran",
    surveys.c.day,
    surveys.c.id,
    sqlite_where=surveys.c.saran.is_not(None),
    postgresql_where=surveys.c.saran.is_not(None),
)
