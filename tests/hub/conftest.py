"""Hub fixtures: the report database, real, on SQLite and on PostgreSQL.

``hub_db`` is parametrized: every test that takes it runs twice, once on a SQLite file
and once on a PostgreSQL database in a throwaway cluster that this module starts
(Debian's postgresql; ``initdb`` in a temp folder, run as the ``postgres`` user when
the tests run as root, as CI does). One cluster per session; each test gets a fresh
database copied from a migrated template (``CREATE DATABASE ... TEMPLATE``), so a test
costs milliseconds, not a migration.
"""

from __future__ import annotations

import dataclasses
import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from itertools import count
from pathlib import Path

import pytest
import sqlalchemy as sa

from kiosk.hub import db

from ..conftest import free_port

TEMPLATE = "hub_template"


@dataclasses.dataclass
class HubDb:
    """A migrated, empty hub database for one test."""

    url: str
    engine: sa.Engine

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_major)
    return Path(found[-1]).parent if found else None


def _major(path: str) -> int:
    return int(Path(path).parent.parent.name)


class PgCluster:
    """A throwaway PostgreSQL cluster on 127.0.0.1, trust auth, in a temp folder."""

    def __init__(self, bindir: Path, *, durable: bool = False):
        self.bindir = bindir
        self.durable = durable  # fsync on, as a real hub (the tests go without)
        self.dir = Path(tempfile.mkdtemp(prefix="pelita-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:  # initdb refuses root; the cluster belongs to postgres
            shutil.chown(self.dir, "postgres", "postgres")

    def _run(self, *args: str) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120, cwd=self.dir)

    def start(self) -> None:
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8")
        options = f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories=''"
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        log = str(self.dir / "log")
        self._run("pg_ctl", "-D", str(self.data), "-l", log, "-o", options, "-w", "start")

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    bindir = _pg_bin()
    if bindir is None:
        message = "PostgreSQL is missing; run scripts/install-test-deps as root"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    cluster = PgCluster(bindir)
    cluster.start()
    engine = db.connect(cluster.url("postgres"))
    admin = engine.execution_options(isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f"CREATE DATABASE {TEMPLATE}"))
        template = db.connect(cluster.url(TEMPLATE))
        db.upgrade(template)
        template.dispose()
        cluster.admin = admin  # type: ignore[attr-defined]
        yield cluster
    finally:
        engine.dispose()
        cluster.stop()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hubdb") / db.DB_FILE
    engine = db.connect(f"sqlite:///{path}")
    db.upgrade(engine)
    engine.dispose()
    return path


_numbers = count(1)


@pytest.fixture(params=["sqlite", "postgresql"])
def hub_db(request, tmp_path) -> Iterator[HubDb]:
    """A fresh, migrated hub database; the test runs once per database."""
    if request.param == "sqlite":
        path = tmp_path / db.DB_FILE
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
        engine = db.connect(url)
        yield HubDb(url, engine)
        engine.dispose()
        return
    cluster = request.getfixturevalue("pg_cluster")
    name = f"hub_test_{next(_numbers)}"
    with cluster.admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}"))
    url = cluster.url(name)
    engine = db.connect(url)
    yield HubDb(url, engine)
    engine.dispose()
    with cluster.admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE {name} WITH (FORCE)"))


@pytest.fixture
def make_hub_app(tmp_path, hub_db):
    """``make_hub_app(**test_config)``: a hub app on ``hub_db`` in a temp hub folder; its
    engine is disposed after the test."""
    from kiosk.hub.app import create_hub_app

    made = []

    def make(hub_dir: Path | None = None, **test_config):
        app = create_hub_app(
            hub_dir or tmp_path / "hub", db_url=hub_db.url, test_config=test_config
        )
        made.append(app)
        return app

    yield make
    for app in made:
        app.extensions["hub_db"].dispose()
