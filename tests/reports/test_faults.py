"""Faults on the way up, each against the real hub server or a real stick folder.

After every fault: the kiosk still holds every record it had (nothing lost), the hub
holds each record at most once (nothing doubled), and ``kiosk status`` says why.
"""

from __future__ import annotations

import http.server
import socket
import threading
import time

import pytest
import sqlalchemy as sa

from kiosk.hub import db
from kiosk.hub.enroll import revoke
from kiosk.hub.ingest import Ingestor
from kiosk.hub.stick_import import import_stick
from kiosk.outbox import Outbox
from kiosk.reports.bundle import parse_bundle
from kiosk.reports.hubkey import load_hub_key, store_hub_key
from kiosk.reports.identity import load_identity
from kiosk.reports.outgoing import apply_ack, build_bundles
from kiosk.reports.push import post_bundle
from kiosk.reports.run import run_reports
from kiosk.status import read_status

from ..conftest import free_port
from .keys import new_hub_keys
from .samples import sample


def count(world, table=db.records) -> int:
    with world.engine.connect() as conn:
        return conn.scalar(sa.select(sa.func.count()).select_from(table))


def ready_kiosk(world, tmp_path, village="kemlagi", *, enroll=True, **changes):
    """A kiosk that knows the hub's key (as after a verified sync) with records waiting."""
    config = world.kiosk(tmp_path / village, village=village, **changes)
    store_hub_key(config.state_path, world.keys.public.to_json())
    if enroll:
        world.enroll(config)
    outbox = Outbox.for_config(config)
    outbox.append("complaint", sample("complaint", ticket=f"KML-{village}-1"), priority=True)
    outbox.append("survey", sample("survey"))
    return config, outbox


def bundle_of(config):
    outbox = Outbox.for_config(config)
    me = load_identity(config.state_path, config.village)
    (bundle,) = build_bundles(outbox, me, load_hub_key(config.state_path))
    return bundle


def reason(config) -> str:
    status = read_status(config, "reports")
    assert status is not None and status["ok"] is False
    return status["summary"]


def post(world, data: bytes) -> tuple[int, bytes]:
    import urllib3

    answer = urllib3.PoolManager().request("POST", f"{world.server.url}/api/reports", body=data)
    return answer.status, answer.data


# ---------------------------------------------------------------- the connection


def test_upload_cut_mid_body_stores_nothing(world, tmp_path):
    config, outbox = ready_kiosk(world, tmp_path)
    data = bundle_of(config).data
    with socket.create_connection(("127.0.0.1", world.server.port)) as sock:
        head = f"POST /api/reports HTTP/1.1\r\nHost: hub\r\nContent-Length: {len(data)}\r\n\r\n"
        sock.sendall(head.encode() + data[: len(data) // 2])
    time.sleep(0.3)
    assert count(world, db.bundles) == 0 and count(world) == 0
    assert run_reports(config, force=True).ok  # the next try delivers everything
    assert outbox.stats()["records"] == 0 and count(world) == 3


class Misbehaving(http.server.BaseHTTPRequestHandler):
    """A 'hub' that cuts, fails, or stalls every report (the real one's failures)."""

    mode = "cut"

    def log_message(self, *args):
        pass

    def do_POST(self):  # noqa: N802
        if self.mode == "cut":  # read a little, then hang up without answering
            self.rfile.read(100)
            self.connection.shutdown(socket.SHUT_RDWR)
        elif self.mode == "500":
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_error(500)
        elif self.mode == "slow":
            self.rfile.read(int(self.headers["Content-Length"]))
            time.sleep(3)


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("cut", "cannot be reached or stopped answering"),
        ("500", "the hub had an internal error (500)"),
        ("slow", "cannot be reached or stopped answering"),
        ("down", "cannot be reached or stopped answering"),
    ],
)
def test_hub_cut_500_slow_or_down_loses_nothing(world, tmp_path, mode, expected):
    handler = type("Handler", (Misbehaving,), {"mode": mode})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    port = server.server_address[1]
    if mode == "down":
        server.server_close()
    else:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        config, outbox = ready_kiosk(
            world, tmp_path, report_url=f"http://127.0.0.1:{port}/api/reports", sync_read_timeout=1
        )
        before = outbox.stats()["records"]
        result = run_reports(config, force=True)
    finally:
        if mode != "down":
            server.shutdown()
            server.server_close()
    assert not result.ok
    assert expected in reason(config) and "Nothing is lost" in reason(config)
    assert outbox.stats()["records"] == before + 1  # + this attempt's health record
    real = config.replace(report_url=world.config_overrides["report_url"], sync_read_timeout=30)
    assert run_reports(real, force=True).ok
    assert outbox.stats()["records"] == 0


def test_two_pushes_at_once_store_each_record_once(world, tmp_path):
    config, outbox = ready_kiosk(world, tmp_path)
    data = bundle_of(config).data
    answers: list[tuple[int, bytes]] = []
    threads = [threading.Thread(target=lambda: answers.append(post(world, data))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for status, _ in answers] == [200] * 4, answers
    assert count(world) == 2
    results = [run_reports(config, force=True) for _ in range(2)]  # and two cycles on the kiosk
    assert all(r.ok for r in results) and count(world) == 4  # + 2 health records


def test_two_report_cycles_at_once_on_the_kiosk_take_turns(world, tmp_path):
    config, outbox = ready_kiosk(world, tmp_path)
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(run_reports(config, force=True)))
        for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert any(r.ok and r.sent for r in results)
    assert all(r.ok or r.summary == "another report cycle is running" for r in results)
    with world.engine.connect() as conn:
        ids = conn.scalars(sa.select(db.records.c.record_id)).all()
    assert len(ids) == len(set(ids))


# ---------------------------------------------------------------- the bundle


def test_the_same_bundle_twice_is_stored_once_and_acknowledged_both_times(world, tmp_path):
    config, outbox = ready_kiosk(world, tmp_path)
    bundle = bundle_of(config)
    url = world.config_overrides["report_url"]
    first = post_bundle(url, bundle.data, connect_timeout=2, read_timeout=5)
    second = post_bundle(url, bundle.data, connect_timeout=2, read_timeout=5)
    me, key = load_identity(config.state_path, "kemlagi"), load_hub_key(config.state_path)
    assert apply_ack(outbox, me, key, first).stored == 2
    assert apply_ack(outbox, me, key, second).stored == 2  # duplicates are acknowledged
    assert count(world) == 2 and count(world, db.complaints) == 1
    with world.engine.connect() as conn:
        outcomes = conn.execute(sa.select(db.bundles.c.records_new, db.bundles.c.records_dup))
        assert sorted(tuple(row) for row in outcomes) == [(0, 2), (2, 0)]


def test_forged_signature_is_refused(world, tmp_path):
    config, outbox = ready_kiosk(world, tmp_path)
    data = bytearray(bundle_of(config).data)
    data[5] ^= 0x01
    status, body = post(world, bytes(data))
    assert status == 400 and b"signature does not match" in body
    assert count(world) == 0 and outbox.stats()["records"] == 2


def test_bundle_replayed_as_another_kiosk_is_refused(world, tmp_path):
    config_a, _ = ready_kiosk(world, tmp_path, "kemlagi")
    config_b, _ = ready_kiosk(world, tmp_path, "watesprojo")
    assert run_reports(config_b, force=True).ok  # B is enrolled and known
    stolen = parse_bundle(bundle_of(config_a).data)
    # 1. A's bundle relabelled as B's: B's key does not verify A's signature.
    relabelled = {**stolen.header, "kiosk": "watesprojo"}
    status, body = post(world, _resign(stolen, relabelled, None))
    assert status == 400 and b"signature does not match" in body
    # 2. B wraps A's sealed payload in its own signed bundle: the payload names A.
    me_b = load_identity(config_b.state_path, "watesprojo")
    wrapped = {**stolen.header, "kiosk": "watesprojo", "key": me_b.fingerprint}
    wrapped.pop("pub", None)
    status, body = post(world, _resign(stolen, wrapped, me_b.signing_key))
    assert status == 400 and b"belongs to kiosk 'kemlagi'" in body
    with world.engine.connect() as conn:
        assert conn.scalars(sa.select(db.records.c.kiosk_id).distinct()).all() == ["watesprojo"]


def _resign(bundle, header, signing_key) -> bytes:
    import json
    import struct

    from kiosk.reports.bundle import MAGIC

    head = json.dumps(header, separators=(",", ":"), sort_keys=True).encode()
    signed = MAGIC + struct.pack(">H", len(head)) + head + bundle.sealed
    signature = signing_key.sign(signed).signature if signing_key else bundle.signature
    return signature + signed


def test_unenrolled_kiosk_is_refused_with_a_plain_reason(world, tmp_path):
    config, outbox = ready_kiosk(world, tmp_path, enroll=False)
    assert not run_reports(config, force=True).ok
    assert "not enrolled at this hub" in reason(config) and "kiosk hub enroll kemlagi" in reason(
        config
    )
    assert outbox.stats()["records"] == 3 and count(world) == 0


def test_revoked_kiosk_is_refused_until_enrolled_again(world, tmp_path):
    config, outbox = ready_kiosk(world, tmp_path)
    assert run_reports(config, force=True).ok
    revoke(world.engine, "kemlagi", "SD card stolen")
    outbox.append("feedback", sample("feedback"))
    assert not run_reports(config, force=True).ok
    assert "revoked" in reason(config) and "SD card stolen" in reason(config)
    assert outbox.stats()["records"] == 2  # the feedback and this attempt's health
    world.enroll(config)  # a new code lifts the revocation
    assert run_reports(config, force=True).ok and outbox.stats()["records"] == 0


def test_wrong_enrollment_code_is_refused(world, tmp_path):
    from kiosk.reports.identity import save_enroll_code

    config, outbox = ready_kiosk(world, tmp_path, enroll=False)
    world.enroll(config.replace(state_dir=str(tmp_path / "elsewhere")))  # a code exists...
    save_enroll_code(config.state_path, "0000-0000-0000")  # ...but this is not it
    assert not run_reports(config, force=True).ok
    assert "no valid enrollment code" in reason(config)


def test_sealed_to_another_hubs_key_is_refused(world, tmp_path):
    config, outbox = ready_kiosk(world, tmp_path)
    new_hub_keys().give_to(config.state_path)  # this kiosk trusts some other hub
    assert not run_reports(config, force=True).ok
    assert "sealed to another hub's key" in reason(config)
    assert outbox.stats()["records"] == 3 and count(world) == 0


def test_oversized_body_is_refused_before_it_is_read(world):
    status, body = post(world, b"\0" * (2 * 1024 * 1024))
    assert status == 413
    assert count(world, db.bundles) == 0


def test_endless_body_is_cut_off(world):
    sent = 0
    with socket.create_connection(("127.0.0.1", world.server.port), timeout=10) as sock:
        sock.sendall(
            b"POST /api/reports HTTP/1.1\r\nHost: hub\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        chunk = b"%x\r\n%s\r\n" % (65536, b"x" * 65536)
        try:
            while sent < 64 * 1024 * 1024:
                sock.sendall(chunk)
                sent += 65536
        except OSError:  # the hub hung up on us
            pass
        answer = sock.recv(4096)
    assert sent < 8 * 1024 * 1024
    assert answer == b"" or b" 413 " in answer.split(b"\r\n")[0]
    assert count(world, db.bundles) == 0


def test_garbage_is_refused_and_logged(world):
    status, body = post(world, b"GET / HTTP/1.0\r\n\r\n" * 10)
    assert status == 400 and b"not a Pelita report bundle" in body
    with world.engine.connect() as conn:
        assert conn.scalar(sa.select(db.bundles.c.outcome)) == "rejected"


def test_a_forged_acknowledgement_frees_nothing(world, tmp_path):
    from kiosk.reports.bundle import sign_ack

    config, outbox = ready_kiosk(world, tmp_path)
    me = load_identity(config.state_path, "kemlagi")
    forged = sign_ack(
        new_hub_keys().signing, {"kiosk": "kemlagi", "key": me.fingerprint, "stored": [[1, 100]]}
    )
    with pytest.raises(Exception, match="not signed by the hub's report key"):
        apply_ack(outbox, me, load_hub_key(config.state_path), forged)
    assert outbox.stats()["records"] == 2


# ---------------------------------------------------------------- the stick


def stick_cycle(world, config, stick):
    result = run_reports(config, stick_dir=stick)
    assert result.ok, result.summary
    ingestor = Ingestor(world.engine, world.keys)
    return import_stick(ingestor, stick)


def test_stick_round_trip_and_the_same_bundle_imported_twice(world, tmp_path):
    config, outbox = ready_kiosk(world, tmp_path)
    stick = tmp_path / "stick" / "pelita-kiosk"
    stick.mkdir(parents=True)
    run_reports(config, stick_dir=stick)
    (bundle,) = (stick / "reports" / "kemlagi").glob("*.pkb")
    copy = bundle.read_bytes()
    results = import_stick(Ingestor(world.engine, world.keys), stick)
    assert [r.outcome.ok for r in results] == [True] and count(world) == 3
    bundle.write_bytes(copy)  # the technician copied it back: imported twice
    again = import_stick(Ingestor(world.engine, world.keys), stick)
    assert again[0].outcome.duplicates == 3 and count(world) == 3
    assert run_reports(config, stick_dir=stick).ok  # the kiosk reads the hub's answer
    assert outbox.stats()["records"] == 1  # only the new health record is left
    with world.engine.connect() as conn:
        assert set(conn.scalars(sa.select(db.records.c.time_source))) == {"receipt"}


def test_stick_pulled_mid_write(world, tmp_path):
    config, outbox = ready_kiosk(world, tmp_path)
    stick = tmp_path / "stick"
    run_reports(config, stick_dir=stick)
    folder = stick / "reports" / "kemlagi"
    (bundle,) = folder.glob("*.pkb")
    data = bundle.read_bytes()
    bundle.write_bytes(data[: len(data) // 2])  # what a pulled FAT stick may keep
    (folder / f".{bundle.name}.tmp").write_bytes(data[:100])  # and our own temp file
    results = import_stick(Ingestor(world.engine, world.keys), stick)
    assert len(results) == 1 and not results[0].outcome.ok  # the temp file is ignored
    assert "signature does not match" in results[0].outcome.reason
    assert count(world) == 0 and bundle.exists()
    assert outbox.stats()["records"] == 3  # nothing freed on the kiosk
    stick_cycle(world, config, stick)  # the next visit writes it again, whole
    assert count(world) == 3  # complaint, survey, and the day's (replaced) health record
    assert not list(folder.glob(".*.tmp"))


def test_stick_removed_while_the_kiosk_writes(world, tmp_path):
    config, outbox = ready_kiosk(world, tmp_path)
    stick = tmp_path / "stick"
    stick.mkdir()
    (stick / "reports").write_text("not a folder: the mount went away")
    result = run_reports(config, stick_dir=stick)
    assert not result.ok and "cannot write" in reason(config)
    assert outbox.stats()["records"] == 3


def test_copying_the_sticks_bundles_to_another_hub_gives_nothing(world, tmp_path):
    config, _ = ready_kiosk(world, tmp_path)
    stick = tmp_path / "stick"
    run_reports(config, stick_dir=stick)
    other = new_hub_keys()
    from kiosk.hub.report_keys import ReportKeys

    thief = Ingestor(world.engine, ReportKeys(other.seal_private, other.signing))
    (result,) = import_stick(thief, stick)
    assert not result.outcome.ok and "sealed to another hub's key" in result.outcome.reason


def test_disk_full_on_the_kiosk_keeps_what_it_had(world, tmp_path):
    import os
    import subprocess

    from kiosk.errors import OutboxFull

    if os.geteuid() != 0:
        pytest.skip("needs root to mount a tiny tmpfs (CI runs as root)")
    mount = tmp_path / "tiny"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(mount)], check=True)
    try:
        config = world.kiosk(mount / "state")
        store_hub_key(config.state_path, world.keys.public.to_json())
        world.enroll(config)
        outbox = Outbox.for_config(config)
        kept = [outbox.append("complaint", sample("complaint", ticket="T-0"))]
        filler = mount / "journal-logs"  # something else fills the SD card
        with pytest.raises(OSError), open(filler, "wb") as f:
            while True:
                f.write(b"\0" * 4096)
                f.flush()
        with pytest.raises(OutboxFull, match="disk is full"):
            for i in range(1, 10_000):
                kept.append(outbox.append("complaint", sample("complaint", ticket=f"T-{i}")))
        assert outbox.stats()["records"] == len(kept)  # everything kept so far is intact
        assert not run_reports(config, force=True).ok  # cannot even note what it sent: it waits
        assert outbox.stats()["records"] == len(kept)
        filler.unlink()  # space comes back
        result = run_reports(config, force=True)
        assert result.ok, result.summary
        assert count(world, db.complaints) == len(kept) and outbox.stats()["records"] == 0
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def test_hub_down_then_up_delivers_the_backlog_once(world, tmp_path):
    config, outbox = ready_kiosk(world, tmp_path)
    dead = config.replace(report_url=f"http://127.0.0.1:{free_port()}/api/reports")
    for _ in range(3):
        assert not run_reports(dead, force=True).ok
    assert run_reports(config, force=True).ok
    assert count(world, db.complaints) == 1 and count(world, db.health) == 1  # one per day
