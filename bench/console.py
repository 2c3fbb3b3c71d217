"""The console with a year of data from 300 kiosks: page p95 on SQLite and PostgreSQL.

``python -m bench.console [--kiosks 300] [--rounds 20]`` (or ``bench/run-console``):
generates the data (about 5 million hourly counts, 30,000 surveys, 3,000 complaints),
starts the hub under waitress on 127.0.0.1, logs in and times every console page and the
IKM report. Figures go to docs/performance.md. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import random
import re
import statistics
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from argon2 import PasswordHasher

from kiosk.hub import accounts, db
from kiosk.hub.app import create_hub_app
from kiosk.hub.console import rollup

from .console_data import generate

PASSWORD = "bench-password-1"
FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def pages(year_start: date, ticket: str, village: str) -> dict[str, str]:
    return {
        "Armada": "/",
        "Permintaan, 12 minggu": "/permintaan",
        "Permintaan, setahun per bulan": f"/permintaan?per=bulan&dari={year_start}",
        "Permintaan, satu desa": f"/permintaan?desa={village}",
        "Permintaan XLSX": "/permintaan?format=xlsx",
        "SKM semester": "/skm",
        "SKM setahun": "/skm?periode=tahun",
        "Pengaduan": "/pengaduan",
        "Pengaduan (satu)": f"/pengaduan/{ticket}",
        "Kebenaran katalog": "/katalog-kebenaran",
        "Pengaturan": "/pengaturan",
        "IKM report JSON (setahun)": "/skm?periode=tahun&format=json",
        "IKM report PDF (setahun)": "/skm?periode=tahun&format=pdf",
    }


class Session:
    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, bytes]:
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.status, response.read()

    def login(self, name: str) -> None:
        _, page = self.get("/masuk")
        token = re.search(rb'name="csrf_token" value="([^"]+)"', page)
        assert token, "no CSRF token on the login page"
        data = urllib.parse.urlencode(
            {"name": name, "password": PASSWORD, "csrf_token": token.group(1).decode()}
        ).encode()
        with self.opener.open(self.base + "/masuk", data=data, timeout=60) as response:
            assert response.status == 200 and b"Armada kios" in response.read()


@contextmanager
def serving(app):
    from waitress.server import create_server

    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) >= 2 else samples[0]


def measure(url: str, paths: dict[str, str], rounds: int) -> dict[str, tuple[float, float]]:
    session = Session(url)
    session.login("bench")
    for path in paths.values():  # warm: templates compiled, caches filled
        session.get(path)
    times: dict[str, list[float]] = {name: [] for name in paths}
    for _ in range(rounds):
        for name, path in paths.items():
            start = time.perf_counter()
            status, _ = session.get(path)
            times[name].append((time.perf_counter() - start) * 1000)
            assert status == 200, (path, status)
    return {name: (statistics.median(t), p95(t)) for name, t in times.items()}


def run_one(url: str, hub_dir: Path, *, kiosks: int, rounds: int, today: date) -> dict:
    engine = db.connect(url)
    db.upgrade(engine)
    started = time.perf_counter()
    facts = generate(engine, kiosks=kiosks, today=today, rng=random.Random(15))
    generated = time.perf_counter() - started
    accounts.add_user(engine, "bench", "admin", PASSWORD, now=db.utcnow(), hasher=FAST)
    started = time.perf_counter()
    rollup.refresh(engine, now=datetime.now(UTC) + timedelta(hours=1))
    folded = time.perf_counter() - started
    engine.dispose()
    app = create_hub_app(hub_dir, db_url=url, test_config={"CONSOLE_PASSWORD_HASHER": FAST})
    paths = pages(today - timedelta(days=364), facts["ticket"], facts["village"])
    with serving(app) as base:
        figures = measure(base, paths, rounds)
    app.extensions["hub_db"].dispose()
    return {"facts": facts, "generated_s": generated, "rollup_s": folded, "pages": figures}


def report(results: dict[str, dict]) -> str:
    names = list(next(iter(results.values()))["pages"])
    head = "| page | " + " | ".join(f"{db_} median / p95 (ms)" for db_ in results) + " |"
    lines = [head, "|---|" + "---|" * len(results)]
    for name in names:
        cells = [f"{r['pages'][name][0]:.0f} / {r['pages'][name][1]:.0f}" for r in results.values()]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    for db_, r in results.items():
        f = r["facts"]
        lines.append(
            f"\n{db_}: {f['counts']:,} hourly counts, {f['records']:,} records, "
            f"{f['health']:,} health reports, {f['surveys']:,} surveys, {f['complaints']:,} "
            f"complaints from {f['kiosks']} kiosks; generated in {r['generated_s']:.0f} s; "
            f"first rollup of the year {r['rollup_s']:.1f} s."
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kiosks", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--only", choices=["sqlite", "postgresql"], default=None)
    args = parser.parse_args()
    today = date.today()
    results = {}
    with tempfile.TemporaryDirectory(prefix="pelita-bench-hub-") as tmp:
        if args.only in (None, "sqlite"):
            hub = Path(tmp) / "sqlite"
            hub.mkdir()
            results["SQLite"] = run_one(
                db.default_url(hub), hub, kiosks=args.kiosks, rounds=args.rounds, today=today
            )
        if args.only in (None, "postgresql"):
            from tests.hub.conftest import PgCluster, _pg_bin

            bindir = _pg_bin()
            assert bindir is not None, "PostgreSQL is missing (apt-get install postgresql)"
            cluster = PgCluster(bindir)
            cluster.start()
            try:
                hub = Path(tmp) / "pg"
                hub.mkdir()
                results["PostgreSQL"] = run_one(
                    cluster.url("postgres"),
                    hub,
                    kiosks=args.kiosks,
                    rounds=args.rounds,
                    today=today,
                )
            finally:
                cluster.stop()
    print(report(results))


if __name__ == "__main__":
    main()
