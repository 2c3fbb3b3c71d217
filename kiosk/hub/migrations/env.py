"""Alembic environment: the hub runs migrations programmatically (kiosk.hub.db.upgrade),
handing over its own connection; the ``alembic`` command line works with -x url=...."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

import kiosk.hub.console_tables  # noqa: F401  (the console's tables, on the same metadata)
from kiosk.hub.db import connect, metadata


def run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:  # alembic CLI: alembic -x url=sqlite:///hub.sqlite3 upgrade head
        url = context.get_x_argument(as_dictionary=True)["url"]
        with connect(url).begin() as own:
            _migrate(own)
        return
    _migrate(connection)


def _migrate(connection: Connection) -> None:
    # render_as_batch: SQLite cannot ALTER most things; batch mode copies the table.
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run()
