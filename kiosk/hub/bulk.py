"""Many rows into one table, fast, on SQLite and on PostgreSQL.

A month's backlog of one kiosk is thousands of rows (hourly counts above all); going
through SQLAlchemy's per-row parameter handling cost more than the databases' own work
(bench/reports.py). Here rows are plain tuples in the order of ``names``:

* SQLite: one ``executemany`` on the driver (sqlite3);
* PostgreSQL: one ``COPY ... FROM STDIN`` (psycopg), in the caller's transaction.

Values must be what the driver takes: :class:`Binder` turns dates and times into what
SQLAlchemy itself would have sent for that column (SQLite keeps them as text), once per
distinct value.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection


class Binder:
    """``binder(value)``: the driver's value for ``column`` (remembered per value)."""

    def __init__(self, conn: Connection, column: sa.Column[Any]):
        self.process = column.type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
        self.seen: dict[Any, Any] = {}

    def __call__(self, value: Any) -> Any:
        if self.process is None or value is None:
            return value
        found = self.seen.get(value)
        if found is None:
            found = self.seen[value] = self.process(value)
        return found


def insert_rows(
    conn: Connection, table: sa.Table, names: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Insert driver-ready ``rows`` (tuples in the order of ``names``) into ``table``."""
    if not rows:
        return
    quote = conn.dialect.identifier_preparer
    into = f"{quote.format_table(table)} ({', '.join(quote.quote(name) for name in names)})"
    raw: Any = conn.connection.dbapi_connection  # in the caller's transaction
    cursor = raw.cursor()
    try:
        if conn.dialect.name == "postgresql":
            with cursor.copy(f"COPY {into} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in names)
            cursor.executemany(f"INSERT INTO {into} VALUES ({marks})", rows)
    finally:
        cursor.close()


def insert_dicts(conn: Connection, table: sa.Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert dict rows (all with the same keys), each value bound as its column wants."""
    if not rows:
        return
    names = list(rows[0])
    binders = [(i, Binder(conn, table.c[name])) for i, name in enumerate(names)]
    binders = [(i, binder) for i, binder in binders if binder.process is not None]
    tuples = []
    for row in rows:
        values = [row[name] for name in names]
        for i, binder in binders:
            values[i] = binder(values[i])
        tuples.append(values)
    insert_rows(conn, table, names, tuples)
