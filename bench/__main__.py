"""Run every benchmark and print one table: ``bench/run`` (or ``python -m bench``).

All traffic goes to 127.0.0.1; every request loop is bounded in count and time.
The kiosk and nginx are measured in the same run, alternating, so the ratios hold
on a noisy machine.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import gzip
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kiosk.catalog.release import build_release, bundled_release_path, load_release
from kiosk.catalog.store import CatalogStore
from kiosk.config import load_config
from kiosk.web.pages import Site

from .export import export_site
from .servers import (
    Kiosk,
    Nginx,
    Process,
    free_port,
    kiosk_executable,
    nginx_binary,
    proc_status_kb,
)
from .table import markdown_table, median
from .wire import fetch, wait_for
from .wrk import WrkResult, run_wrk

REPO = Path(__file__).resolve().parent.parent
HOME = "/"
SERVICE = "/layanan/akta-kelahiran"
SEARCH_QUERY = "ktp hilang"
SEARCH = "/cari?q=ktp+hilang"
CONNECTIONS = (1, 16, 64)
PAGE_LIMIT = 14 * 1024

# Extra lines of the hall's settings file, as a real kiosk.toml would have them.
REAL_CONFIG = 'ssid = "Pelita Kiosk Kemlagi"\ncaptive_success_minutes = 60\n'


def machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {mem_kb / 1024 / 1024:.1f} GiB RAM, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    )


def seed_store(state: Path) -> None:
    """Put the bundled release into the store, as a provisioned kiosk has it."""
    CatalogStore(state / "catalog").activate(bundled_release_path().read_bytes())


def cold_start(work: Path, runs: int) -> list[float]:
    """Seconds from process start to the first 200 on the home page, per run."""
    times = []
    for _ in range(runs):
        kiosk = Kiosk(work, free_port(), REAL_CONFIG)
        seed_store(kiosk.state)
        kiosk.start()
        try:
            took = wait_for(
                kiosk.port,
                HOME,
                lambda r: r.status == 200,
                timeout=15,
                start=kiosk.started_at,
                interval=0.002,
            )
        finally:
            kiosk.stop()
        if took is None:
            raise SystemExit(f"the kiosk did not answer within 15 s; see {kiosk.log}")
        times.append(took)
    return times


def throughput(kiosk: Kiosk, nginx: Nginx, seconds: float, rounds: int):
    """{(page, connections, server): [WrkResult per round]}, servers alternating."""
    results: dict[tuple[str, int, str], list[WrkResult]] = {}
    servers = [("kiosk", kiosk), ("nginx", nginx)]
    turn = 0
    for _ in range(rounds):
        for label, path in (("home", HOME), ("service", SERVICE), ("search", SEARCH)):
            for connections in CONNECTIONS:
                order = servers if turn % 2 == 0 else servers[::-1]
                turn += 1
                for name, server in order:
                    url = f"http://127.0.0.1:{server.port}{path}"
                    result = run_wrk(url, connections, seconds)
                    results.setdefault((label, connections, name), []).append(result)
    return results


def summarize(results) -> dict[tuple[str, int, str], tuple[float, float, float, int]]:
    """Median req/s, p50 and p99 over the rounds, and the total errors."""
    return {
        key: (
            median([r.rps for r in rs]),
            median([r.p50_ms for r in rs]),
            median([r.p99_ms for r in rs]),
            sum(r.errors for r in rs),
        )
        for key, rs in results.items()
    }


def new_release_bytes(version: int) -> tuple[bytes, str]:
    """The bundled catalog as a new release with one service renamed; (bytes, new name)."""
    catalog = load_release(bundled_release_path())
    marker = f"Akta Kelahiran (rilis {version})"
    services = tuple(
        dataclasses.replace(s, name=marker) if s.id == SERVICE.rsplit("/", 1)[1] else s
        for s in catalog.services
    )
    changed = dataclasses.replace(catalog, services=services)
    return build_release(changed, version, catalog.published), marker


def release_swap(kiosk: Kiosk) -> float | None:
    """Seconds from activate() returning to the new service page being served."""
    store = CatalogStore(kiosk.state / "catalog")
    data, marker = new_release_bytes(max(store.versions() or [0]) + 1)
    store.activate(data)
    start = time.perf_counter()
    expected = marker.encode("utf-8")
    return wait_for(
        kiosk.port, SERVICE, lambda r: expected in _plain(r), timeout=10, start=start, interval=0.01
    )


def _plain(fetched) -> bytes:
    if fetched.headers.get("content-encoding") == "gzip":
        return gzip.decompress(fetched.body)
    return fetched.body


def printer_idle(work: Path) -> str:
    """Idle RSS of ``kiosk printer`` (mock pins, folder printer)."""
    exe = kiosk_executable()
    env = {**os.environ, "GPIOZERO_PIN_FACTORY": "mock"}
    config = work / "printer.toml"
    config.write_text(
        f'state_dir = "{work / "printer-state"}"\n[printer]\ntype = "folder"\n'
        f'folder = "{work / "slips"}"\n',
        encoding="utf-8",
    )
    # `kiosk printer` with no subcommand runs the daemon (its subcommands are tools).
    command = [exe, "printer", "--config", str(config), "--mock-pins"]
    daemon = Process(command, work / "printer.log", env=env).start()
    try:
        time.sleep(3)
        if not daemon.alive():
            return f"n/a (exited with {daemon.popen.returncode}; see {daemon.log})"
        return f"{proc_status_kb(daemon.pid, 'VmHWM') / 1024:.1f} MB"
    finally:
        daemon.stop()


def companion(name: str) -> list[str]:
    """Printed lines of bench/<name>.py (written by other engineers), or 'n/a'."""
    if not (REPO / "bench" / f"{name}.py").exists():
        return [f"n/a (bench/{name}.py not present yet)"]
    done = subprocess.run(
        [sys.executable, "-m", f"bench.{name}"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
    )
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    if done.returncode != 0:
        lines.append(f"(exited with {done.returncode}: {done.stderr.strip()[-300:]})")
    return lines or ["(printed nothing)"]


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT MET"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seconds", type=int, default=3, help="length of one wrk run (whole seconds)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (median)")
    parser.add_argument("--cold-runs", type=int, default=5, help="cold starts to time")
    parser.add_argument("--no-lighthouse", action="store_true", help="skip Lighthouse")
    parser.add_argument("--output", type=Path, help="also write the report to this file")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: run bench/run (it installs wrk)")

    work = Path(tempfile.mkdtemp(prefix="pelita-bench-"))
    out: list[str] = []

    def say(text: str = "") -> None:
        print(text, flush=True)
        out.append(text)

    say(f"# Pelita Kiosk benchmark, {datetime.date.today().isoformat()}")
    say()
    say(
        f"Machine: {machine()}; nginx: {nginx_version()}; wrk 2 threads, gzip accepted; "
        f"{args.rounds} rounds of {args.seconds:g} s, medians."
    )
    say()
    targets: list[tuple[str, str, bool | None]] = []
    kiosk = nginx = None
    try:
        print("... cold starts", file=sys.stderr)
        (work / "cold").mkdir()
        cold = cold_start(work / "cold", args.cold_runs)

        kiosk = Kiosk(work, free_port(), REAL_CONFIG)
        seed_store(kiosk.state)
        kiosk.start()
        if wait_for(kiosk.port, HOME, lambda r: r.status == 200, timeout=15) is None:
            raise SystemExit(f"the kiosk did not start; see {kiosk.log}")
        site = Site(load_release(bundled_release_path()), load_config(kiosk.config_file, env={}))
        root = work / "www"
        paths = export_site(site, root, SEARCH_QUERY)
        nginx = Nginx(work, free_port(), root, nginx_binary()).start()
        if wait_for(nginx.port, HOME, lambda r: r.status == 200, timeout=10) is None:
            raise SystemExit(f"nginx did not start; see {work / 'nginx-error.log'}")

        # ---- page weight
        print("... page weight", file=sys.stderr)
        weights = []
        for path in paths:
            url_path = SEARCH if path == "/cari" else path
            k, n = fetch(kiosk.port, url_path), fetch(nginx.port, url_path)
            if k.status != 200 or k.headers.get("content-encoding") != "gzip":
                raise SystemExit(f"kiosk answered {url_path} with {k.status} {k.headers}")
            weights.append((url_path, k.wire_bytes, len(k.body), n.wire_bytes))

        # ---- throughput
        print("... throughput (wrk)", file=sys.stderr)
        summary = summarize(throughput(kiosk, nginx, args.seconds, args.rounds))
        web_peak = proc_status_kb(kiosk.pid, "VmHWM") / 1024

        # ---- new release
        print("... new release", file=sys.stderr)
        swap = release_swap(kiosk)
        web_peak_swap = proc_status_kb(kiosk.pid, "VmHWM") / 1024

        # ---- lighthouse
        scores = {}
        if not args.no_lighthouse:
            from .lighthouse import run_lighthouse

            print("... lighthouse", file=sys.stderr)
            for label, path in (("home", HOME), ("service", SERVICE), ("search", SEARCH)):
                try:
                    scores[label] = run_lighthouse(f"http://127.0.0.1:{kiosk.port}{path}", work)
                except (subprocess.SubprocessError, RuntimeError, OSError) as exc:
                    scores[label] = f"failed: {exc}"
    finally:
        for server in (kiosk, nginx):
            if server is not None:
                server.stop()

    print("... printer daemon, sync cost, print latency", file=sys.stderr)
    printer = printer_idle(work)
    sync_lines = companion("sync_cost")
    print_lines = companion("print_latency")

    # ---------------------------------------------------------------- report
    say("## Throughput and latency (wrk, 127.0.0.1)")
    say()
    rows = []
    for label, path in (("home", HOME), ("service", SERVICE), ("search", SEARCH)):
        for c in CONNECTIONS:
            k, n = summary[(label, c, "kiosk")], summary[(label, c, "nginx")]
            rows.append(
                [
                    f"{label} `{path}`",
                    c,
                    f"{k[0]:,.0f}",
                    f"{k[1]:.2f}",
                    f"{k[2]:.2f}",
                    f"{n[0]:,.0f}",
                    f"{n[1]:.2f}",
                    f"{n[2]:.2f}",
                    f"{k[0] / n[0]:.2f}",
                    f"{k[3]}/{n[3]}",
                ]
            )
    say(
        markdown_table(
            [
                "page",
                "conns",
                "kiosk req/s",
                "p50 ms",
                "p99 ms",
                "nginx req/s",
                "p50 ms",
                "p99 ms",
                "kiosk/nginx",
                "errors k/n",
            ],
            rows,
        )
    )
    say()
    k16, n16 = summary[("service", 16, "kiosk")], summary[("service", 16, "nginx")]
    targets.append(
        (
            "service req/s at 16 conns ≥ 0.15 × nginx",
            f"{k16[0] / n16[0]:.2f} × ({k16[0]:,.0f} vs {n16[0]:,.0f})",
            k16[0] >= 0.15 * n16[0],
        )
    )
    targets.append(("service p99 at 16 conns ≤ 30 ms", f"{k16[2]:.2f} ms", k16[2] <= 30))

    say("## Page weight (gzip, bytes on the wire incl. headers)")
    say()
    say(
        markdown_table(
            ["page", "kiosk wire", "kiosk body", "nginx wire"],
            [[p, w, b, n] for p, w, b, n in weights],
        )
    )
    largest = max(weights, key=lambda w: w[1])
    say()
    say(f"Largest: {largest[0]} — {largest[1]:,} bytes on the wire ({largest[2]:,} body).")
    say()
    targets.append(
        (
            "every page ≤ 14 KB on the wire",
            f"largest {largest[1]:,} B ({largest[0]})",
            largest[1] <= PAGE_LIMIT,
        )
    )

    say("## Start-up, release swap, memory")
    say()
    rows = [
        [
            f"cold start: process start → first 200 (median / max of {len(cold)})",
            f"{median(cold):.3f} s / {max(cold):.3f} s",
        ],
        [
            "new release activated → new page served",
            "timed out (10 s)" if swap is None else f"{swap:.3f} s",
        ],
        ["web peak RSS (VmHWM) after the wrk runs", f"{web_peak:.1f} MB"],
        ["web peak RSS after the release swap", f"{web_peak_swap:.1f} MB"],
        ["printer daemon RSS, idle", printer],
    ]
    say(markdown_table(["measure", "value"], rows))
    say()
    targets.append(("cold start ≤ 1.0 s", f"{median(cold):.3f} s", median(cold) <= 1.0))
    targets.append(
        (
            "new release served ≤ 2 s after activation",
            "timeout" if swap is None else f"{swap:.3f} s",
            swap is not None and swap <= 2.0,
        )
    )
    targets.append(("web RSS ≤ 45 MB under load", f"{web_peak:.1f} MB", web_peak <= 45))

    say("## Lighthouse 12.2.3, mobile preset (kiosk)")
    say()
    if scores:
        rows = []
        for label, s in scores.items():
            if isinstance(s, str):
                rows.append([label, s, "", "", ""])
                targets.append((f"Lighthouse {label}", s, False))
                continue
            rows.append(
                [
                    label,
                    s.performance,
                    s.accessibility,
                    s.best_practices,
                    ", ".join(s.failed) or "none",
                ]
            )
            targets.append(
                (
                    f"Lighthouse {label}: perf ≥ 95, a11y 100, best practices ≥ 95",
                    f"{s.performance} / {s.accessibility} / {s.best_practices}",
                    s.performance >= 95 and s.accessibility == 100 and s.best_practices >= 95,
                )
            )
        say(
            markdown_table(
                [
                    "page",
                    "performance",
                    "accessibility",
                    "best practices",
                    "audits below full score",
                ],
                rows,
            )
        )
    else:
        say("skipped (--no-lighthouse)")
    say()

    say("## Sync cost (bench/sync_cost.py)")
    say()
    say("\n".join(f"    {line}" for line in sync_lines))
    say()
    say("## Print latency (bench/print_latency.py)")
    say()
    say("\n".join(f"    {line}" for line in print_lines))
    say()

    say("## Targets")
    say()
    say(
        markdown_table(
            ["target", "measured", "verdict"], [[t, m, verdict(ok)] for t, m, ok in targets]
        )
    )
    if args.output:
        args.output.write_text("\n".join(out) + "\n", encoding="utf-8")
    if args.keep:
        print(f"work folder kept: {work}", file=sys.stderr)
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if all(ok for _, _, ok in targets) else 1


def nginx_version() -> str:
    done = subprocess.run([nginx_binary(), "-v"], capture_output=True, text=True, timeout=10)
    return (done.stderr or done.stdout).strip().split("/", 1)[-1]


if __name__ == "__main__":
    sys.exit(main())
