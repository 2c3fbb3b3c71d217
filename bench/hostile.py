"""Issue 12's figures: one hostile phone, a kabupaten-sized catalog, a Pi-class CPU.

Run: ``.venv/bin/python -m bench.hostile`` (as root for the CPU-quota cold start).
Every number comes from a real ``kiosk serve`` process on 127.0.0.1, fed a catalog
release of 23 (the real one) or 400 services (bench/catalogs.py). "Another phone" comes
from 127.0.0.2, the hostile one from 127.0.0.1 (or from 127.0.1.x when a figure needs
many addresses, e.g. 200 slow readers: one address is capped at 16 connections).

Pi-class CPU: the kiosk runs in a cgroup limited to 15% of one core (cgroup v1
``cpu.cfs_quota_us = 15000`` per ``cpu.cfs_period_us = 100000``, or v2 ``cpu.max =
"15000 100000"``), about a Zero 2 W core's share against this machine's. Without
cgroup rights the row says so. The same by hand:
``systemd-run --scope -p CPUQuota=15% kiosk serve --config ...``.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import random
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import ExitStack
from datetime import date
from pathlib import Path

from kiosk.catalog.release import build_release, bundled_release_path, load_release
from kiosk.catalog.store import CatalogStore

from .catalogs import grow
from .servers import Kiosk, free_port, proc_status_kb
from .table import markdown_table
from .wire import wait_for

SIZES = (23, 400)
PARTS = ("rss", "slowloris", "readers", "search", "home", "cold")
OTHER_PHONE = "127.0.0.2"
CPU_QUOTA_US, CPU_PERIOD_US = 15_000, 100_000


def release_of(services: int) -> bytes:
    catalog = load_release(bundled_release_path())
    return build_release(grow(catalog, services), 1, date(2026, 12, 1))


def start_kiosk(work: Path, services: int, *, cgroup: Path | None = None) -> Kiosk:
    work.mkdir(parents=True, exist_ok=True)
    kiosk = Kiosk(work, free_port())
    CatalogStore(kiosk.state / "catalog").activate(release_of(services))
    if cgroup is not None:  # join the cgroup before exec, so start-up is throttled too
        kiosk.command = ["sh", "-c", f'echo $$ > {cgroup}/cgroup.procs && exec "$@"', "sh"] + (
            kiosk.command
        )
    kiosk.start()
    if wait_for(kiosk.port, "/", lambda r: r.status == 200, timeout=120) is None:
        raise SystemExit(f"kiosk did not start; see {kiosk.log}")
    return kiosk


def rss_mb(pid: int) -> float:
    return proc_status_kb(pid, "VmRSS") / 1024


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def page_time(port: int, path: str = "/", source: str = OTHER_PHONE) -> float:
    """Seconds for one whole page on a new connection from ``source`` (inf on failure)."""
    start = time.perf_counter()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10, source_address=(source, 0))
        conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
        response = conn.getresponse()
        response.read()
        conn.close()
    except OSError:
        return float("inf")
    return time.perf_counter() - start if response.status == 200 else float("inf")


def paths_of(services: int) -> list[str]:
    from kiosk.config import load_config
    from kiosk.web.pages import Site

    site = Site(load_release_bytes(release_of(services)), load_config(env={}))
    # With the one-service survey forms, made on demand (kiosk/web/voice_pages.py).
    return sorted(site.pages) + [f"/survei/{s.id}" for s in site.catalog.services]


def load_release_bytes(data: bytes):
    from kiosk.catalog.release import parse_release

    return parse_release(data)


# ---------------------------------------------------------------- the figures


def slowloris(port: int, mode: str, count: int = 250) -> list[float]:
    """Another phone's page times while one address holds ``count`` connections that
    never finish ("drip": a byte every second; "half-open": nothing sent)."""
    times: list[float] = []
    with ExitStack() as stack:
        socks = []
        for _ in range(count):
            try:
                sock = stack.enter_context(
                    socket.create_connection(
                        ("127.0.0.1", port), 5, source_address=("127.0.0.1", 0)
                    )
                )
                if mode == "drip":
                    sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
                socks.append(sock)
            except OSError:
                pass
        for _ in range(15):
            for sock in socks if mode == "drip" else []:
                try:
                    sock.send(b"X")
                except OSError:
                    pass
            times.append(page_time(port))
            time.sleep(0.3)
    return times


def slow_readers(port: int, pid: int, count: int = 200) -> tuple[float, float, float]:
    """RSS before, while ``count`` connections (one per address) ask for pages and never
    read, and 3 s after they close."""
    before = rss_mb(pid)
    request = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n" * 20
    with ExitStack() as stack:
        for i in range(count):
            sock = socket.socket()
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
            stack.enter_context(sock)
            sock.settimeout(5)
            try:
                sock.bind((f"127.0.1.{1 + i % 250}", 0))
                sock.connect(("127.0.0.1", port))
                sock.sendall(request)
            except OSError:
                pass
        time.sleep(3)
        during = rss_mb(pid)
    time.sleep(3)
    return before, during, rss_mb(pid)


def keep_alive_everything(port: int, paths: list[str], connections: int = 16) -> None:
    """16 keep-alive connections, each fetching every page gzipped and plain."""

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for path in paths:
            for encoding in ("gzip", "identity"):
                conn.request("GET", path, headers={"Accept-Encoding": encoding})
                conn.getresponse().read()
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def random_query(rng: random.Random, length: int) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    out: list[str] = []
    size = 0
    while size < length:
        out.append("".join(rng.choice(letters) for _ in range(rng.randint(3, 12))))
        size += len(out[-1]) + 1
    return "+".join(out)[:length]


def settle(pid: int, timeout: float = 30.0) -> None:
    """Wait until the server is idle (under 5 ms CPU in 0.5 s): leftovers of an earlier
    figure must not count against this one."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        before = cpu_seconds(pid)
        time.sleep(0.5)
        if cpu_seconds(pid) - before < 0.005:
            return


def search_cpu(port: int, pid: int, rng: random.Random) -> dict[str, tuple[float, float]]:
    """Server CPU ms per /cari for fresh (uncached) queries of each kind: the mean over
    30 (the kernel counts CPU in 10 ms ticks) and the worst single one."""
    kinds = {
        "typical (2 words)": lambda: random_query(rng, 14),
        "long (7 KB, fits the headers)": lambda: random_query(rng, 7000),
    }
    out = {}
    settle(pid)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for name, make in kinds.items():
        each = []
        for _ in range(30):
            before = cpu_seconds(pid)
            conn.request("GET", "/cari?q=" + make())
            conn.getresponse().read()
            each.append(cpu_seconds(pid) - before)
        out[name] = (sum(each) / len(each) * 1000, max(each) * 1000)
    before = cpu_seconds(pid)
    with socket.create_connection(("127.0.0.1", port), 10) as sock:
        query = random_query(rng, 256 * 1024).encode()
        try:
            sock.sendall(b"GET /cari?q=" + query + b" HTTP/1.1\r\n\r\n")
            sock.recv(4096)
        except OSError:
            pass
    time.sleep(0.2)
    spent = (cpu_seconds(pid) - before) * 1000
    out["256 KB (refused: 431)"] = (spent, spent)
    conn.close()
    return out


def _hammer(port: int, seed: float, stop, results) -> None:
    """One client sending fresh searches nonstop (in its own process: the bench's
    GIL must not slow the home-page timer), then its statuses into ``results``."""
    local = random.Random(seed)
    statuses: Counter[int] = Counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while not stop.is_set():
        conn.request("GET", "/cari?q=" + random_query(local, 60))
        response = conn.getresponse()
        response.read()
        statuses[response.status] += 1
    conn.close()
    results.put(statuses)


def home_times(port: int, samples: int) -> tuple[float, float]:
    """Home page p50/p99 (ms) over ``samples`` requests on one keep-alive connection."""
    times = []
    conn = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=30, source_address=(OTHER_PHONE, 0)
    )
    try:
        for _ in range(samples):
            start = time.perf_counter()
            conn.request("GET", "/", headers={"Accept-Encoding": "gzip"})
            conn.getresponse().read()
            times.append((time.perf_counter() - start) * 1000)
    finally:
        conn.close()
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99) - 1]


def home_while_searching(
    port: int, rng: random.Random, samples: int = 400
) -> tuple[float, float, Counter[int]]:
    """Home page p50/p99 (ms, keep-alive) while two clients (processes) send fresh
    searches nonstop, and the searches' statuses (503: every search slot was busy)."""
    context = multiprocessing.get_context("fork")
    stop, results = context.Event(), context.Queue()
    hammers = [
        context.Process(target=_hammer, args=(port, rng.random(), stop, results)) for _ in range(2)
    ]
    for hammer in hammers:
        hammer.start()
    try:
        time.sleep(0.5)  # both searching
        p50, p99 = home_times(port, samples)
    finally:
        stop.set()
    statuses: Counter[int] = Counter()
    for _ in hammers:
        statuses.update(results.get(timeout=60))
    for hammer in hammers:
        hammer.join()
    return p50, p99, statuses


def cpu_cgroup() -> Path | None:
    """A fresh cgroup holding 15% of one core, or None without the rights."""
    name = f"pelita-bench-{os.getpid()}"
    for root, v2 in ((Path("/sys/fs/cgroup/cpu"), False), (Path("/sys/fs/cgroup"), True)):
        group = root / name
        try:
            group.mkdir()
            if v2:
                (group / "cpu.max").write_text(f"{CPU_QUOTA_US} {CPU_PERIOD_US}\n")
            else:
                (group / "cpu.cfs_period_us").write_text(f"{CPU_PERIOD_US}\n")
                (group / "cpu.cfs_quota_us").write_text(f"{CPU_QUOTA_US}\n")
            return group
        except OSError:
            if group.exists():
                group.rmdir()
    return None


def cold_start(work: Path, services: int, cgroup: Path, runs: int = 3) -> list[float]:
    times = []
    for i in range(runs):
        kiosk = start_kiosk(work / f"cold-{services}-{i}", services, cgroup=cgroup)
        times.append(time.perf_counter() - kiosk.started_at)
        kiosk.stop()
    return times


# ---------------------------------------------------------------- the report


def cold_rows(work: Path, sizes: list[int], runs: int, row) -> None:
    group = cpu_cgroup()
    if group is None:
        row("Pi-class cold start", "n/a: no rights to make a cgroup (run as root)", "")
        return
    try:
        for services in sizes:
            times = cold_start(work, services, group, runs)
            row(
                f"{services} services: cold start at 15% of a core (median / max of {len(times)})",
                f"{statistics.median(times):.2f} / {max(times):.2f} s",
                "",
            )
    finally:
        group.rmdir()


def slowloris_rows(port: int, services: int, row) -> None:
    quiet = [page_time(port) for _ in range(15)]
    row(
        f"{services} services: another phone's page, no attack (same run)",
        f"median {statistics.median(quiet) * 1000:.1f} ms, max {max(quiet) * 1000:.1f} ms",
        "",
    )
    for mode in ("drip", "half-open"):
        times = slowloris(port, mode)
        row(
            f"{services} services: another phone's page during 250 {mode} conns from one address",
            f"median {statistics.median(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms",
            "≤ 1 s",
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument(
        "--sizes", default=",".join(map(str, SIZES)), help="catalog sizes, e.g. 400 or 23,400"
    )
    parser.add_argument(
        "--only",
        default=",".join(PARTS),
        help=f"figures to run, comma-separated from: {','.join(PARTS)}",
    )
    args = parser.parse_args(argv)
    sizes = [int(n) for n in args.sizes.split(",")]
    parts = set(args.only.split(","))
    if parts - set(PARTS):
        parser.error(f"unknown parts: {sorted(parts - set(PARTS))}")
    rng = random.Random(12)
    work = Path(tempfile.mkdtemp(prefix="pelita-hostile-"))
    rows: list[list[str]] = []

    def row(measure: str, value: str, target: str) -> None:
        rows.append([measure, value, target])
        print(f"{measure}: {value}", file=sys.stderr, flush=True)

    for services in sizes if parts - {"cold"} else []:
        kiosk = start_kiosk(work / f"k{services}", services)
        try:
            pid = kiosk.pid
            paths = paths_of(services)
            row(f"{services} services: web RSS after start", f"{rss_mb(pid):.1f} MB", "")
            if "rss" in parts:
                keep_alive_everything(kiosk.port, paths)
                row(
                    f"{services} services: RSS after 16 keep-alive conns × {len(paths)} pages × "
                    "gzip+plain",
                    f"{rss_mb(pid):.1f} MB (peak {proc_status_kb(pid, 'VmHWM') / 1024:.1f})",
                    "≤ 45 MB",
                )
            if "slowloris" in parts:
                slowloris_rows(kiosk.port, services, row)
            if "readers" in parts:
                before, during, after = slow_readers(kiosk.port, pid)
                row(
                    f"{services} services: RSS with 200 slow readers (before / during / after)",
                    f"{before:.1f} / {during:.1f} / {after:.1f} MB",
                    "≤ 60 during, < 50 after",
                )
            if "search" in parts:
                for name, (mean, worst) in search_cpu(kiosk.port, pid, rng).items():
                    row(
                        f"{services} services: /cari CPU, {name} (mean / worst of 30)",
                        f"{mean:.1f} / {worst:.0f} ms",
                        "≤ 50 ms",
                    )
            if "home" in parts:
                settle(pid)
                p50, p99 = home_times(kiosk.port, 400)
                row(
                    f"{services} services: home, nobody searching (p50 / p99, same run)",
                    f"{p50:.2f} / {p99:.2f} ms (load {os.getloadavg()[0]:.1f})",
                    "",
                )
                p50, p99, statuses = home_while_searching(kiosk.port, rng)
                row(
                    f"{services} services: home while 2 clients hammer search (p50 / p99)",
                    f"{p50:.2f} / {p99:.2f} ms (searches: {dict(statuses)}; "
                    f"load {os.getloadavg()[0]:.1f})",
                    "p99 ≤ 20 ms",
                )
        finally:
            kiosk.stop()

    if "cold" in parts:
        cold_rows(work, sizes, args.cold_runs, row)
    print(markdown_table(["measure", "value", "target"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
