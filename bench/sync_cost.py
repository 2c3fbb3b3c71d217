"""What a sync costs on the wire, at 23 and 400 services: every byte of every request and
response (metadata, 404 probe and HTTP headers included), counted by the server, for a
first sync, a sync that finds nothing new, one changed fee, and a kiosk two releases
behind. "before" is a hub that signs only the whole release (as before issue 12 item 6,
so a kiosk downloads it whole); "after" signs the packed release and patches too.
A real hub (real keys) served over real HTTP on 127.0.0.1; the real kiosk sync.

Run: .venv/bin/python -m bench.sync_cost
"""

from __future__ import annotations

import dataclasses
import gzip
import io
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack
from datetime import date
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from unittest import mock

from bench.catalogs import grow
from kiosk.catalog.delta import pack
from kiosk.catalog.model import Catalog
from kiosk.catalog.release import build_release, bundled_release_path, load_release, parse_release
from kiosk.config import Config, load_config
from kiosk.hub import repo
from kiosk.hub.repo import Hub, Published
from kiosk.sync.run import SyncResult, run_sync

SIZES = (23, 400)
NO_CHANGE_RUNS = 5


class Counted:
    """A file object that counts what passes through it."""

    def __init__(self, inner: Any, add: Callable[[int], None]):
        self.inner, self.add = inner, add

    def readline(self, *args: Any) -> bytes:
        line: bytes = self.inner.readline(*args)
        self.add(len(line))
        return line

    def read(self, *args: Any) -> bytes:
        data: bytes = self.inner.read(*args)
        self.add(len(data))
        return data

    def write(self, data: bytes) -> int:
        self.add(len(data))
        return int(self.inner.write(data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class CountingServer(ThreadingHTTPServer):
    daemon_threads = True
    wire = 0
    lock = threading.Lock()

    def count(self, n: int) -> None:
        with self.lock:
            self.wire += n


class Handler(SimpleHTTPRequestHandler):
    server: CountingServer

    def setup(self) -> None:
        super().setup()
        self.rfile = Counted(self.rfile, self.server.count)  # type: ignore[assignment]
        self.wfile = Counted(self.wfile, self.server.count)  # type: ignore[assignment]

    def log_message(self, *args: Any) -> None:
        pass


def with_fee(catalog: Catalog, fee: int) -> Catalog:
    services = list(catalog.services)
    services[len(services) // 2] = dataclasses.replace(services[len(services) // 2], fee=fee)
    return dataclasses.replace(catalog, services=tuple(services))


@dataclasses.dataclass
class Setup:
    hub: Hub
    server: CountingServer
    kiosk: Config
    catalog: Catalog
    version: int = 0
    published: Published | None = None

    def publish(self, fee: int) -> None:
        self.version += 1
        when = date(2026, 12, self.version)
        data = build_release(with_fee(self.catalog, fee), self.version, when)
        self.published = self.hub.sign_release(data, self.version, when)

    def sync(self) -> tuple[SyncResult, int, float]:
        """One kiosk sync: (result, wire bytes, CPU seconds of this process)."""
        self.server.wire = 0
        cpu = time.process_time()
        result = run_sync(self.kiosk)
        cpu = time.process_time() - cpu
        assert result.ok, result.summary
        return result, self.server.wire, cpu


def setup(work: Path, catalog: Catalog) -> Setup:
    hub = Hub(work / "hub")
    hub.init()
    handler = lambda *a, **kw: Handler(*a, directory=str(hub.public), **kw)  # noqa: E731
    server = CountingServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    kiosk = load_config(
        env={},
        overrides={
            "state_dir": str(work / "kiosk"),
            "hub_url": f"http://127.0.0.1:{server.server_address[1]}/",
            "trust_root": str(hub.metadata_dir / "1.root.json"),
        },
    )
    return Setup(hub, server, kiosk, catalog)


def measure(work: Path, catalog: Catalog) -> dict[str, Any]:
    s = setup(work, catalog)
    try:
        out: dict[str, Any] = {}
        s.publish(30000)
        out["first"] = s.sync()[1]
        runs = [s.sync() for _ in range(NO_CHANGE_RUNS)]
        assert not any(r.changed for r, _, _ in runs)
        out["none"] = runs[0][1]
        out["none_cpu"] = statistics.median(cpu for _, _, cpu in runs)
        s.publish(35000)
        result, out["fee"], out["fee_cpu"] = s.sync()
        out["fee_form"] = result.summary.split("(", 1)[1].split(")", 1)[0]
        s.publish(40000)
        s.publish(45000)
        out["behind2"] = s.sync()[1]
        assert s.published is not None
        release = s.published.path.read_bytes()
        out["release"] = len(release)
        out["gzip"] = len(gzip.compress(release, 9, mtime=0))
        out["xz"] = len(pack(release))
        cpu = time.process_time()
        parse_release(release)
        out["parse_cpu"] = time.process_time() - cpu
        return out
    finally:
        s.server.shutdown()
        s.server.server_close()


def main() -> int:
    base = load_release(bundled_release_path())
    figures: dict[tuple[int, str], dict[str, Any]] = {}
    work = Path(tempfile.mkdtemp(prefix="sync-cost-"))
    try:
        for size in SIZES:
            catalog = grow(base, size) if size != len(base.services) else base
            for label in ("before", "after"):
                with ExitStack() as stack:
                    if label == "before":  # a hub that signs the whole release only
                        stack.enter_context(mock.patch.object(repo, "release_forms", lambda *a: []))
                    figures[(size, label)] = measure(work / f"{size}-{label}", catalog)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report(figures)
    return 0


def report(figures: dict[tuple[int, str], dict[str, Any]]) -> None:
    out = io.StringIO()
    say = lambda *a: print(*a, file=out)  # noqa: E731
    say("Bytes on the wire per sync (requests + responses, headers and metadata included):")
    say()
    say("| services | sync | before (whole release) | after (forms) | after: form used |")
    say("|---|---|---|---|---|")
    for size in SIZES:
        b, a = figures[(size, "before")], figures[(size, "after")]
        rows = [
            ("first sync (empty kiosk)", "first", "packed"),
            ("nothing new", "none", "-"),
            ("one changed fee", "fee", a["fee_form"]),
            ("two releases behind", "behind2", "patch"),
        ]
        for name, key, form in rows:
            say(f"| {size} | {name} | {b[key]:,} | {a[key]:,} | {form} |")
    say()
    for size in SIZES:
        a = figures[(size, "after")]
        say(
            f"{size} services: release {a['release']:,} B, gzip -9 {a['gzip']:,} B, "
            f"xz {a['xz']:,} B. Nothing new: {a['none_cpu'] * 1000:.0f} ms CPU "
            f"(median of {NO_CHANGE_RUNS}; one parse of the release alone: "
            f"{a['parse_cpu'] * 1000:.0f} ms, which the old no-change sync did 3 times). "
            f"One changed fee, patch to activated (validate + render): "
            f"{a['fee_cpu']:.2f} s CPU."
        )
    print(out.getvalue(), end="")


if __name__ == "__main__":
    sys.exit(main())
