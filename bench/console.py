"""The console with a year of data from 300 kiosks: page p95 on SQLite and PostgreSQL.

``python -m bench.console [--kiosks 300] [--rounds 20]``: takes the generated year
(about 5 million hourly counts, 30,000 surveys, 3,000 complaints) from the bench cache
(bench/console_cache.py; generated and kept on the first run), starts the hub app under
waitress on 127.0.0.1 for each database, logs in, and times every console page and the
IKM report, alternating the two databases request by request so both see the same load.
Figures go to docs/performance.md. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import signal
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from kiosk.hub.app import create_hub_app, settle_heap

from .console_cache import FAST, PASSWORD, USER, bench_now, postgresql_db, sqlite_hub


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
        "IKM report XLSX (setahun)": "/skm?periode=tahun&format=xlsx",
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
    from tests.conftest import LiveServer  # waitress stopped without an EBADF race

    server = LiveServer(app)
    try:
        yield server.url
    finally:
        server.stop()


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) >= 2 else samples[0]


@dataclass
class Target:
    """One database's console under waitress, logged in."""

    name: str
    meta: dict
    session: Session
    wall: dict[str, list[float]] = field(default_factory=dict)
    cpu: dict[str, list[float]] = field(default_factory=dict)

    @property
    def facts(self) -> dict:
        return self.meta["facts"]

    first: dict[str, float] = field(default_factory=dict)

    def time(self, page: str, path: str, *, cold: bool = False) -> None:
        start, cpu = time.perf_counter(), time.process_time()
        status, _ = self.session.get(path)
        assert status == 200, (self.name, path, status)
        if cold:  # the first request: nothing cached yet (SKM report, download bytes)
            self.first[page] = (time.perf_counter() - start) * 1000
            return
        self.cpu.setdefault(page, []).append((time.process_time() - cpu) * 1000)
        self.wall.setdefault(page, []).append((time.perf_counter() - start) * 1000)


def measure(targets: list[Target], paths: dict[str, str], rounds: int) -> list[float]:
    """Every page on every database, interleaved (same load for both); the load averages."""
    for target in targets:
        target.session.login(USER)
        for name, path in paths.items():  # warm: templates compiled, caches filled
            target.time(name, path, cold=True)
    loads = [os.getloadavg()[0]]
    for _ in range(rounds):
        for name, path in paths.items():
            for target in targets:
                target.time(name, path)
        loads.append(os.getloadavg()[0])
    return loads


def app_for(hub_dir: Path, meta: dict):
    today = date.fromisoformat(meta["today"])
    config = {"CONSOLE_PASSWORD_HASHER": FAST, "CONSOLE_NOW": lambda: bench_now(today)}
    return create_hub_app(hub_dir, db_url=meta["url"], test_config=config)


def report(targets: list[Target], loads: list[float], rounds: int) -> str:
    head = "| page | " + " | ".join(f"{t.name} median / p95 (CPU) [1st]" for t in targets) + " |"
    lines = [head, "|---|" + "---|" * len(targets)]
    for name in targets[0].wall:
        cells = [
            f"{statistics.median(t.wall[name]):.0f} / {p95(t.wall[name]):.0f} "
            f"({statistics.median(t.cpu[name]):.0f}) [{t.first[name]:.0f}]"
            for t in targets
        ]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append(
        f"\n{rounds} rounds, ms; CPU = median CPU ms of this process per request (the hub app "
        f"and the client; PostgreSQL's own processes not included); [1st] = the first request "
        f"of the run (templates not compiled, no report cached). 1-min load average "
        f"during the rounds: {min(loads):.1f}-{max(loads):.1f} on {os.cpu_count()} CPUs."
    )
    for t in targets:
        f, m = t.facts, t.meta
        made = "from the cache" if m["cached"] else "made now"
        if "upgraded_from" in m:  # an older schema head's data, migrated (not generated)
            made += f", migrated from {m['upgraded_from']} in {m['upgrade_s']} s"
        lines.append(
            f"{t.name}: {f['counts']:,} hourly counts, {f['records']:,} records, "
            f"{f['health']:,} health reports, {f['surveys']:,} surveys, {f['complaints']:,} "
            f"complaints from {f['kiosks']} kiosks, year to {m['today']} ({made}; generation "
            f"took {m['generated_s']:.0f} s, {m['generated_cpu_s']:.0f} s CPU, at load "
            f"{m['load_average'][0]:.1f}; first rollup {m['rollup_s']:.1f} s)."
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kiosks", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--only", choices=["sqlite", "postgresql"], default=None)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the kept cluster on kill
    with ExitStack() as stack:
        metas = {}
        if args.only in (None, "sqlite"):
            hub = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="pelita-bench-")))
            metas["SQLite"] = (
                hub,
                stack.enter_context(sqlite_hub(hub, kiosks=args.kiosks, seed=args.seed)),
            )
        if args.only in (None, "postgresql"):
            hub = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="pelita-bench-")))
            metas["PostgreSQL"] = (
                hub,
                stack.enter_context(postgresql_db(kiosks=args.kiosks, seed=args.seed)),
            )
        targets = []
        apps = {name: app_for(hub, meta) for name, (hub, meta) in metas.items()}
        settle_heap()  # as 'kiosk hub serve' does before serving
        for name, app in apps.items():
            stack.callback(app.extensions["hub_db"].dispose)
            base = stack.enter_context(serving(app))
            targets.append(Target(name, metas[name][1], Session(base)))
        facts = targets[0].facts
        today = date.fromisoformat(targets[0].meta["today"])
        paths = pages(today - timedelta(days=364), facts["ticket"], facts["village"])
        loads = measure(targets, paths, args.rounds)
    print(report(targets, loads, args.rounds))


if __name__ == "__main__":
    main()
