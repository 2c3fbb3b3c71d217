"""The console bench's generated databases, kept between runs.

Generating a year of 300 kiosks takes minutes; timing the pages takes seconds. So the
generated database (data, the bench login, the demand rollup folded, statistics fresh)
is kept under ``$PELITA_BENCH_CACHE`` (default /var/cache/pelita-kiosk-bench), keyed by
(kiosks, seed, schema head, GENERATOR):

- SQLite: ``<key>.sqlite3``; each run copies it into its hub folder.
- PostgreSQL: a cluster kept in ``pg<major>/`` with one database per key; each run
  creates its own database from it (``CREATE DATABASE ... TEMPLATE ... STRATEGY
  FILE_COPY``: a file copy) and drops it afterwards.

``<key>.json`` says what was generated, on which day and how long it took.
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from argon2 import PasswordHasher

from kiosk.hub import accounts, db
from kiosk.hub.console import rollup
from kiosk.hub.simulate import at_wib

from .console_data import generate

CACHE = Path(os.environ.get("PELITA_BENCH_CACHE", "/var/cache/pelita-kiosk-bench"))
GENERATOR = 2  # bump when console_data writes something different
USER, PASSWORD = "bench", "bench-password-1"
FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def cache_key(kiosks: int, seed: int) -> str:
    return f"console_{kiosks}k_seed{seed}_{db.head_revision()}_g{GENERATOR}".lower()


def bench_now(today: date) -> datetime:
    """The clock the bench's console runs at: the generated year's last afternoon."""
    return at_wib(today, 16)


def _cpu_s() -> float:
    """CPU seconds of this process and its finished children (the generator)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def fill(url: str, *, kiosks: int, seed: int, today: date) -> dict[str, Any]:
    """Migrate, generate, add the bench login, fold the rollup, renew statistics."""
    engine = db.connect(url)
    db.upgrade(engine)
    started, cpu = time.perf_counter(), _cpu_s()
    facts = generate(engine, kiosks=kiosks, today=today, rng=random.Random(seed))
    generated, generated_cpu = time.perf_counter() - started, _cpu_s() - cpu
    accounts.add_user(engine, USER, "admin", PASSWORD, now=db.utcnow(), hasher=FAST)
    started = time.perf_counter()
    rollup.refresh(engine, now=bench_now(today) + timedelta(hours=1))
    folded = time.perf_counter() - started
    with engine.begin() as conn:
        conn.execute(sa.text("ANALYZE"))
    engine.dispose()
    return {
        "facts": facts,
        "today": today.isoformat(),
        "generated_s": round(generated, 1),
        "generated_cpu_s": round(generated_cpu, 1),
        "rollup_s": round(folded, 1),
        "load_average": os.getloadavg(),
        "made_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _meta_path(key: str) -> Path:
    return CACHE / f"{key}.json"


def _load_meta(key: str) -> dict[str, Any] | None:
    path = _meta_path(key)
    return json.loads(path.read_text()) if path.exists() else None


def _save_meta(key: str, meta: dict[str, Any]) -> None:
    _meta_path(key).write_text(json.dumps(meta, indent=1))


def _older(key: str, *, kiosks: int, seed: int) -> str | None:
    """The newest cached key with the same data made under another schema head."""
    pattern = cache_key(kiosks, seed).replace(f"_{db.head_revision()}_".lower(), "_*_")
    suffix = key[len(cache_key(kiosks, seed)) :]
    found = sorted(CACHE.glob(f"{pattern}{suffix}.json"), key=lambda p: p.stat().st_mtime)
    names = [path.name.removesuffix(".json") for path in found]
    return next((name for name in reversed(names) if name != key), None)


def _upgraded(url: str, older: dict[str, Any], older_key: str) -> dict[str, Any]:
    """An older head's copy brought to this head by the migrations (as a hub upgrade)."""
    engine = db.connect(url)
    started = time.perf_counter()
    db.upgrade(engine)
    with engine.begin() as conn:
        conn.execute(sa.text("ANALYZE"))
    engine.dispose()
    return {**older, "upgraded_from": older_key, "upgrade_s": round(time.perf_counter() - started)}


@contextmanager
def sqlite_hub(hub_dir: Path, *, kiosks: int, seed: int) -> Iterator[dict[str, Any]]:
    """A hub folder holding a copy of the cached SQLite database (made first if absent)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    key = f"{cache_key(kiosks, seed)}_sqlite"
    stored = CACHE / f"{key}.sqlite3"
    meta = _load_meta(key)
    if meta is None or not stored.exists():
        building = stored.with_suffix(".building")
        building.unlink(missing_ok=True)
        older = _older(key, kiosks=kiosks, seed=seed)
        if older is not None and (CACHE / f"{older}.sqlite3").exists():
            shutil.copyfile(CACHE / f"{older}.sqlite3", building)
            meta = _upgraded(f"sqlite:///{building}", _load_meta(older) or {}, older)
        else:
            meta = fill(f"sqlite:///{building}", kiosks=kiosks, seed=seed, today=date.today())
        _checkpoint(building)
        building.replace(stored)
        _save_meta(key, meta)
        meta["cached"] = False
    else:
        meta["cached"] = True
    shutil.copyfile(stored, hub_dir / db.DB_FILE)
    yield {**meta, "url": db.default_url(hub_dir)}


def _checkpoint(path: Path) -> None:
    engine = db.connect(f"sqlite:///{path}")
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()


@contextmanager
def postgresql_db(*, kiosks: int, seed: int) -> Iterator[dict[str, Any]]:
    """A fresh database copied from the cached one, in the kept bench cluster."""
    cluster = KeptCluster()
    cluster.start()
    try:
        key = f"{cache_key(kiosks, seed)}_pg{cluster.major}"
        meta = _load_meta(key)
        if meta is None or not cluster.has(key):
            meta = _build_pg(cluster, key, kiosks=kiosks, seed=seed)
            meta["cached"] = False
        else:
            meta["cached"] = True
        cluster.sql("DROP DATABASE IF EXISTS bench_run")
        started = time.perf_counter()
        cluster.sql(f"CREATE DATABASE bench_run TEMPLATE {key} STRATEGY FILE_COPY")
        meta["copied_s"] = round(time.perf_counter() - started, 1)
        yield {**meta, "url": cluster.url("bench_run")}
        cluster.sql("DROP DATABASE IF EXISTS bench_run")
    finally:
        cluster.stop()


def _build_pg(cluster: KeptCluster, key: str, *, kiosks: int, seed: int) -> dict[str, Any]:
    building = f"{key}_building"
    cluster.sql(f"DROP DATABASE IF EXISTS {building}")
    older = _older(key, kiosks=kiosks, seed=seed)
    if older is not None and cluster.has(older):
        cluster.sql(f"CREATE DATABASE {building} TEMPLATE {older} STRATEGY FILE_COPY")
        meta = _upgraded(cluster.url(building), _load_meta(older) or {}, older)
    else:
        cluster.sql(f"CREATE DATABASE {building}")
        meta = fill(cluster.url(building), kiosks=kiosks, seed=seed, today=date.today())
    cluster.sql(f"DROP DATABASE IF EXISTS {key}")
    cluster.sql(f"ALTER DATABASE {building} RENAME TO {key}")
    _save_meta(key, meta)
    return meta


class KeptCluster:
    """Debian's PostgreSQL in a cluster that outlives the run (fsync off, as the tests')."""

    def __init__(self) -> None:
        from tests.hub.conftest import _major, _pg_bin, free_port

        bindir = _pg_bin()
        assert bindir is not None, "PostgreSQL is missing (scripts/install-test-deps)"
        self.bindir = bindir
        self.major = _major(str(bindir / "initdb"))
        self.dir = CACHE / f"pg{self.major}"
        self.data = self.dir / "data"
        self.port = free_port()

    def _run(self, *args: str, timeout: float = 600) -> str:
        command = ["runuser", "-u", "postgres", "--", str(self.bindir / args[0]), *args[1:]]
        done = subprocess.run(
            command, check=True, capture_output=True, text=True, timeout=timeout, cwd="/"
        )
        return done.stdout

    def start(self) -> None:
        if not (self.data / "PG_VERSION").exists():
            self.dir.mkdir(parents=True, exist_ok=True)
            shutil.chown(self.dir, "postgres", "postgres")
            self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8")
        try:  # a run that was killed may have left it running: stop it first
            self._run("pg_ctl", "-D", str(self.data), "status")
            self.stop()
        except subprocess.CalledProcessError:
            pass  # not running
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories='' "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_wal_size=4GB -c shared_buffers=256MB"
        )
        log = str(self.dir / "log")
        self._run("pg_ctl", "-D", str(self.data), "-l", log, "-o", options, "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def sql(self, statement: str) -> str:
        return self._run(
            "psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", "postgres",
            "-v", "ON_ERROR_STOP=1", "-Atc", statement,
        )  # fmt: skip

    def has(self, database: str) -> bool:
        return self.sql(f"SELECT 1 FROM pg_database WHERE datname = '{database}'").strip() == "1"

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"
