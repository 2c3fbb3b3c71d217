"""What every ``kiosk hub`` command that reads the hub database shares: its two options
and one way to open (and close) the database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
import sqlalchemy as sa

from ..errors import KioskError
from . import db

hub_option = click.option(
    "--hub",
    "hub_dir",
    required=True,
    type=click.Path(file_okay=False),
    help="The hub folder made by 'kiosk hub init'.",
)
db_option = click.option(
    "--db",
    "db_url",
    default=None,
    help="Database URL (default: sqlite:///HUB/hub.sqlite3; or postgresql://user@host/db).",
)


def open_db(hub_dir: str, db_url: str | None, *, create: bool = False) -> sa.Engine:
    """The hub database, migrated; ``create`` makes the hub folder first (demo, users)."""
    if create:
        Path(hub_dir).mkdir(parents=True, exist_ok=True)
    engine = db.connect(db_url or db.default_url(hub_dir))
    db.upgrade(engine)
    return engine


@contextmanager
def hub_database(hub_dir: str, db_url: str | None, *, create: bool = False) -> Iterator[sa.Engine]:
    """The hub database for one command; a refusal is a one-line error, never a traceback."""
    engine = open_db(hub_dir, db_url, create=create)
    try:
        yield engine
    except KioskError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        engine.dispose()
