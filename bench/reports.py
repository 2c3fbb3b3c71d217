"""Reports: bytes on the wire for a busy kiosk-day, and hub ingest of a 30-day backlog.

1. Wire: a real kiosk pushes a busy day (300 page views, 40 slips, 10 SKM surveys,
   2 complaints, hourly counts, health) to a real hub app under waitress, through a
   byte-counting TCP relay: everything in both directions at the HTTP level (request
   line, headers, bodies; TCP/IP framing not counted). The kiosk's hourly sync decides
   when to push (report_every_hours: the default 24, and 1, the most frequent), on a
   simulated boot clock; the heartbeat header its catalog pulls carry is counted apart.
2. Ingest: 300 enrolled kiosks, each with a 30-day backlog (25 records a day: 12 hourly
   counts, 10 surveys, 2 complaints, 1 health = 225,000 records), as real signed and
   sealed bundles; time to take them all in, on SQLite and on PostgreSQL (a throwaway
   Debian cluster as in the tests, but with fsync on). The bundles take minutes to
   make: they are made once and kept in ~/.cache/pelita-bench (fixed hub keys); only
   the ingest is timed (wall and the hub process's CPU seconds).

   By default the bundles go through Ingestor.ingest_many, as ``kiosk hub import``
   takes a stick (the next bundle unsealed while one is written); --one-by-one calls
   Ingestor.ingest for each, as HTTP pushes arriving one after another.

Run: .venv/bin/python -m bench.reports [--wire-only | --ingest-only] [--kiosks 300]
     [--days 30] [--no-sqlite] [--no-postgresql] [--one-by-one] [--profile FILE]
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import os
import pickle
import pstats
import random
import shutil
import socket
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import kiosk

REPO = Path(kiosk.__file__).resolve().parent.parent
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "pelita-bench"
SERVICES = [
    "ktp-el-baru", "kk-baru", "akta-kelahiran", "skck", "pindah-skpwni", "kia",
    "akta-kematian", "sktm", "legalisasi", "sk-ahli-waris",
]  # fmt: skip


# ---------------------------------------------------------------- a busy day


def hourly_counts(rng: random.Random, day: str, views: int, slips: int) -> list[dict[str, Any]]:
    """A busy day as the web would count it: 12 open hours, views and slips spread."""
    hours: list[dict[str, Any]] = []
    for hour in range(8, 20):
        hours.append(
            {"hour": f"{day}T{hour:02}:00:00+07:00", "mono_start": 3600.0 * hour, "boot_id": "b",
             "services": {}, "no_hit": {}, "portal_opens": 0}
        )  # fmt: skip
    for _ in range(views):
        bucket = rng.choice(hours)["services"].setdefault(rng.choice(SERVICES), {})
        bucket["view"] = bucket.get("view", 0) + 1
    for i in range(slips):
        bucket = rng.choice(hours)["services"].setdefault(rng.choice(SERVICES), {})
        metric = "slip_button" if i % 3 else "slip_site"
        bucket[metric] = bucket.get(metric, 0) + 1
    for body in hours:
        body["portal_opens"] = rng.randint(5, 20)
    hours[3]["no_hit"] = {"surat tanah": 2}
    return hours


def survey(rng: random.Random) -> dict[str, Any]:
    unsur = ("persyaratan", "prosedur", "waktu", "biaya", "produk", "kompetensi",
             "perilaku", "sarana_prasarana", "pengaduan")  # fmt: skip
    return {
        "service": rng.choice(SERVICES),
        "when": rng.choice(["hari-ini", "minggu-ini"]),
        "answers": {u: rng.randint(2, 4) for u in unsur},
        "respondent": {"jenis_kelamin": rng.choice("LP"), "usia": "25-34",
                       "pendidikan": "SMA", "pekerjaan": "wiraswasta"},
        "saran": rng.choice([None, "Petugas ramah, antrean agak lama."]),
    }  # fmt: skip


def complaint(n: int, village: str) -> dict[str, Any]:
    return {
        "ticket": f"KML-{village.upper()}-{n:05}",
        "category": "pelayanan_kecamatan",
        "text": "Loket pelayanan KTP tutup sebelum jam 12 padahal jadwalnya sampai jam 14.",
        "contact": {"name": "Warga", "phone": "081234567890"},
        "consent": True,
    }


# ---------------------------------------------------------------- 1. wire


class CountingRelay:
    """127.0.0.1 TCP relay to ``target`` that counts the bytes each way."""

    def __init__(self, target_port: int):
        self.target = ("127.0.0.1", target_port)
        self.up = self.down = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            threading.Thread(target=self._pipe, args=(client, server, "up"), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, "down"), daemon=True).start()

    def _pipe(self, src: socket.socket, dst: socket.socket, way: str) -> None:
        try:
            while data := src.recv(65536):
                setattr(self, way, getattr(self, way) + len(data))
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self) -> None:
        self.listener.close()


def make_hub(base: Path) -> Path:
    from kiosk.hub.repo import Hub
    from kiosk.hub.report_keys import create_report_keys, publish_report_key

    hub = Hub(base / "hub")
    hub.init()
    create_report_keys(hub.path)
    publish_report_key(hub.path)
    hub.publish(REPO / "catalog", published=date(2026, 11, 1))
    return hub.path


@dataclasses.dataclass
class WireDay:
    up: int = 0  # bytes kiosk → hub on the report connection (HTTP level)
    down: int = 0  # bytes hub → kiosk on it
    pushes: int = 0
    records: int = 0  # records the hub confirmed on the measured day
    beats: int = 0  # bytes of the heartbeat header on the day's catalog pulls

    @property
    def total(self) -> int:
        return self.up + self.down


def wire_days(base: Path, every_hours: int, *, complaints: int = 2, days: int = 2) -> WireDay:
    """A kiosk's hourly ``kiosk sync`` (report step + heartbeat) over ``days`` busy days
    on a simulated CLOCK_BOOTTIME; the bytes of the last day (the steady state: the
    first day starts just after enrollment). Each day: counts for 12 open hours, 10
    surveys from 08:00, ``complaints`` complaints (10:00 and 15:00)."""
    from unittest import mock

    from waitress.server import create_server

    from kiosk.config import load_config
    from kiosk.hub.app import create_hub_app, serve_options
    from kiosk.hub.enroll import create_enrollment
    from kiosk.hub.report_keys import load_report_keys
    from kiosk.outbox import Outbox
    from kiosk.reports import clockstate
    from kiosk.reports.beat import HEADER, beat_header
    from kiosk.reports.hubkey import store_hub_key
    from kiosk.reports.identity import save_enroll_code
    from kiosk.reports.run import run_reports
    from tests.conftest import LiveServer

    hub_dir = make_hub(base / f"wire{every_hours}-{complaints}")
    app = create_hub_app(hub_dir)
    server = LiveServer(app, create_server(app, host="127.0.0.1", port=0, **serve_options()))
    relay = CountingRelay(server.port)
    clock = {"mono": 3600.0}
    day = WireDay()
    try:
        state = base / f"kiosk{every_hours}-{complaints}"
        config = load_config(env={}, overrides={
            "state_dir": str(state), "village": "kemlagi", "report_every_hours": every_hours,
            "report_url": f"http://127.0.0.1:{relay.port}/api/reports"})  # fmt: skip
        store_hub_key(state, load_report_keys(hub_dir).public.to_json())
        save_enroll_code(state, create_enrollment(app.extensions["hub_db"], "kemlagi")[0])
        outbox = Outbox.for_config(config)
        rng = random.Random(13)
        with mock.patch.object(clockstate, "mono", lambda: clock["mono"]):
            assert run_reports(config).ok  # enrollment, at midnight: not part of any day
            for n in range(days):
                if n == days - 1:
                    time.sleep(0.2)
                    relay.up = relay.down = 0
                    day = WireDay()
                hours = {int(b["hour"][11:13]): b for b in hourly_counts(rng, f"2026-12-0{n + 1}",
                                                                         300, 40)}  # fmt: skip
                for hour in range(24):
                    for kind, body in _arrivals(rng, hour, hours, complaints):
                        outbox.append(kind, body, priority=kind == "complaint")
                    clock["mono"] += 3600
                    before = outbox.stats()["records"]
                    result = run_reports(config)  # what the hourly 'kiosk sync' does first
                    assert result.ok, result.summary
                    if not result.skipped:
                        day.pushes += 1
                        day.records += result.sent
                        assert result.sent == before + 1, result.summary  # + its health
                    beat = beat_header(config)  # then the catalog pull (none after a push)
                    day.beats += len(f"{HEADER}: {beat}\r\n") if beat else 0
        time.sleep(0.2)
        day.up, day.down = relay.up, relay.down
        return day
    finally:
        relay.close()
        server.stop()
        app.extensions["hub_db"].dispose()


def _arrivals(
    rng: random.Random, hour: int, counts: dict[int, dict[str, Any]], complaints: int
) -> list[tuple[str, dict[str, Any]]]:
    """What the kiosk's outbox gains during ``hour``."""
    out: list[tuple[str, dict[str, Any]]] = []
    if hour in counts:
        out.append(("counts", counts[hour]))
    if 8 <= hour < 18:
        out.append(("survey", survey(rng)))
    if (hour == 10 and complaints >= 1) or (hour == 15 and complaints >= 2):
        out.append(("complaint", complaint(hour, "kemlagi")))
    return out


# ---------------------------------------------------------------- 2. ingest

CACHE_VERSION = 1  # bump when the bundle format or the generated backlog changes


def bench_keys() -> Any:
    """Fixed hub report keys: cached bundles stay valid from one run to the next."""
    from nacl.public import PrivateKey
    from nacl.signing import SigningKey

    from kiosk.hub.report_keys import ReportKeys

    return ReportKeys(PrivateKey(b"\x13" * 32), SigningKey(b"\x31" * 32))


def backlog_bundles(keys: Any, kiosks: int, days: int) -> tuple[list[Any], int]:
    """Real bundles as 30 days offline would leave them: [(kiosk id, bytes, key)], records."""
    from nacl.public import PublicKey, SealedBox
    from nacl.signing import SigningKey

    from kiosk.reports.bundle import write_bundle
    from kiosk.reports.identity import fingerprint
    from kiosk.reports.packing import pack

    box = SealedBox(PublicKey(keys.public.seal))
    rng = random.Random(30)
    out: list[Any] = []
    records = 0
    for k in range(kiosks):
        village, signing = f"desa-{k:03}", SigningKey(bytes([k % 256, k // 256]) + b"\1" * 30)
        entries, blobs, next_id = [], [], 1
        for d in range(days):
            day = f"2026-11-{d % 30 + 1:02}"
            bodies = [("counts", b) for b in hourly_counts(rng, day, 300, 40)]
            bodies += [("survey", survey(rng)) for _ in range(10)]
            bodies += [("complaint", complaint(d * 2 + n, village)) for n in range(2)]
            bodies.append(("health", _health()))
            for kind, body in bodies:
                envelope = {
                    "id": next_id,
                    "kind": kind,
                    "kiosk_time": f"{day}T09:00:00+00:00",
                    "boot_id": f"boot{d}",
                    "mono": 100.0 + next_id,
                    "clock": "unknown",
                }
                if kind in ("survey", "complaint"):
                    blob = box.encrypt(pack(body))
                    blobs.append(blob)
                    entries.append({**envelope, "len": len(blob)})
                else:
                    entries.append({**envelope, "body": body})
                next_id += 1
        records += len(entries)
        header = {"v": 1, "kiosk": village, "key": fingerprint(bytes(signing.verify_key)),
                  "hub": keys.public.fingerprint}  # fmt: skip
        index = {"kiosk": village, "at": {"boot_id": "now", "mono": 5.0,
                 "kiosk_time": "2026-12-01T09:00:00+00:00"}, "records": entries}  # fmt: skip
        data = write_bundle(signing_key=signing, seal_key=keys.public.seal, header=header,
                            index=index, bodies=blobs)  # fmt: skip
        out.append((village, data, bytes(signing.verify_key)))
    return out, records


def cached_backlog(cache: Path, keys: Any, kiosks: int, days: int) -> tuple[list[Any], int]:
    """The backlog bundles, made once and kept in ``cache`` (they take minutes to make)."""
    path = cache / f"backlog-v{CACHE_VERSION}-{kiosks}x{days}.pickle"
    if path.exists():
        with path.open("rb") as f:
            found: tuple[list[Any], int] = pickle.load(f)  # our own file, written below
        print(f"   bundles from {path}")
        return found
    started = time.perf_counter()
    made = backlog_bundles(keys, kiosks, days)
    cache.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as f:
        pickle.dump(made, f)
    tmp.replace(path)
    print(f"   bundles made in {time.perf_counter() - started:.0f} s (not timed), kept in {path}")
    return made


def _health() -> dict[str, Any]:
    return {
        "app_version": "0.1.0", "catalog_version": 3,
        "sync": {"last_ok": None, "last_error": "hub unreachable", "last_error_at": None},
        "printer": {"state": "ok", "slips_since_last": 40, "paper_left_mm": 20000},
        "disk_free_mb": 9000, "uptime_s": 86400, "cpu_temp_c": 55.1,
        "throttled": {"under_voltage": False, "throttled": False},
        "clock": {"state": "unknown"}, "outbox": {"records": 500, "bytes": 90000},
    }  # fmt: skip


@dataclasses.dataclass
class Timing:
    wall: float
    cpu: float  # this process (the hub's Python); PostgreSQL's server is not in it
    stored: int


def ingest_all(
    url: str, keys: Any, bundles: list[Any], *, one_by_one: bool, profile: Path | None = None
) -> Timing:
    """Enroll every kiosk (rows), then time taking in every bundle: as ``kiosk hub
    import`` does (Ingestor.ingest_many), or ``one_by_one`` as HTTP pushes in a row."""
    import sqlalchemy as sa

    from kiosk.hub import db
    from kiosk.hub.ingest import Ingestor
    from kiosk.reports.identity import fingerprint

    engine = db.connect(url)
    db.upgrade(engine)
    now = db.utcnow()
    with engine.begin() as conn:
        conn.execute(sa.insert(db.kiosks), [
            {"kiosk_id": v, "public_key": pk.hex(), "key_fingerprint": fingerprint(pk),
             "created_at": now, "enrolled_at": now} for v, _, pk in bundles])  # fmt: skip
    ingestor = Ingestor(engine, keys, now=lambda: now)
    profiler = cProfile.Profile() if profile else None
    wall, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    if one_by_one:
        outcomes = [ingestor.ingest(data, transport="usb") for _, data, _ in bundles]
    else:
        outcomes = list(ingestor.ingest_many((d for _, d, _ in bundles), transport="usb"))
    assert all(outcome.ok for outcome in outcomes), [o.reason for o in outcomes if not o.ok]
    if profiler:
        profiler.disable()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if profiler and profile:
        profiler.dump_stats(profile)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    with engine.connect() as conn:
        stored = conn.scalar(sa.select(sa.func.count()).select_from(db.records)) or 0
    engine.dispose()
    return Timing(wall, cpu, stored)


def _line(name: str, timing: Timing, records: int, server: float | None = None) -> str:
    assert timing.stored == records, f"{name}: stored {timing.stored} of {records} records"
    also = "" if server is None else f" + {server:.1f} s in the PostgreSQL server"
    return (
        f"   {name:<11} {timing.wall:6.1f} s wall ({records / timing.wall:,.0f} records/s), "
        f"{timing.cpu:.1f} s CPU in the hub process{also}; "
        f"load average {os.getloadavg()[0]:.1f}"
    )


def server_cpu(data_dir: Path) -> float:
    """CPU seconds of a PostgreSQL cluster so far: the postmaster (with the backends it
    has reaped) and its live children, from /proc."""
    postmaster = int((data_dir / "postmaster.pid").read_text().split()[0])
    ticks = 0
    for proc in Path("/proc").iterdir():
        try:
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if proc.name == str(postmaster):
            ticks += sum(int(v) for v in fields[11:15])  # utime stime cutime cstime
        elif fields[1] == str(postmaster):
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def bench_ingest(args: argparse.Namespace, base: Path) -> None:
    print(f"2. hub ingest: {args.kiosks} kiosks x {args.days} days of backlog")
    keys = bench_keys()
    bundles, records = cached_backlog(Path(args.cache), keys, args.kiosks, args.days)
    size = sum(len(d) for _, d, _ in bundles)
    print(f"   {records:,} records in {len(bundles)} bundles, {size / 1e6:.1f} MB")
    profile = Path(args.profile) if args.profile else None
    if not args.no_sqlite:
        url = f"sqlite:///{base / 'ingest.sqlite3'}"
        timing = ingest_all(url, keys, bundles, one_by_one=args.one_by_one, profile=profile)
        print(_line("SQLite:", timing, records))
    if args.no_postgresql:
        return
    from tests.hub.conftest import PgCluster, _pg_bin

    bindir = _pg_bin()
    if bindir is None:
        print("   PostgreSQL: not installed (scripts/install-test-deps)")
        return
    cluster = PgCluster(bindir, durable=True)
    cluster.start()
    try:
        url = cluster.url("postgres")
        before = server_cpu(cluster.data)
        timing = ingest_all(url, keys, bundles, one_by_one=args.one_by_one, profile=profile)
        print(_line("PostgreSQL:", timing, records, server_cpu(cluster.data) - before))
    finally:
        cluster.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kiosks", type=int, default=300)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--no-postgresql", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--wire-only", action="store_true", help="only part 1 (seconds)")
    parser.add_argument("--ingest-only", action="store_true", help="skip the bytes on the wire")
    parser.add_argument("--cache", default=str(CACHE), help="where the made bundles are kept")
    parser.add_argument(
        "--one-by-one", action="store_true", help="ingest() each bundle, no overlap"
    )
    parser.add_argument("--profile", help="write a cProfile of the ingest to this file")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    try:
        if not args.ingest_only:
            print("1. a busy kiosk-day on the wire (300 views, 40 slips, 10 surveys, "
                  "2 complaints),")  # fmt: skip
            print("   hourly 'kiosk sync', steady state (the second of two busy days)")
            runs = [(24, 2, "default (24 h)"), (24, 0, "default, no complaint"),
                    (1, 2, "most frequent (1 h)")]  # fmt: skip
            for every, complaints, label in runs:
                d = wire_days(base, every, complaints=complaints)
                print(f"   report_every_hours {label:22}: {d.pushes:2} push(es), "
                      f"{d.records} records, "
                      f"{d.up:,} B up + {d.down:,} B down = {d.total:,} B; "
                      f"+ heartbeat headers on the catalog pulls {d.beats:,} B")  # fmt: skip
            if args.wire_only:
                return 0
        bench_ingest(args, base)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
