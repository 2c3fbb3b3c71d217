"""Fault tests: a real hub on a real HTTP server that misbehaves; the kiosk must keep
serving its last good catalog and say why in its status."""

from __future__ import annotations

import errno
import shutil
import threading
import time
from datetime import UTC, date, datetime, timedelta

import pytest

from kiosk.catalog.release import build_release
from kiosk.catalog.store import CatalogStore
from kiosk.hub.repo import Hub
from kiosk.sync.run import run_sync
from kiosk.web.source import SiteSource

from ..conftest import CATALOG_DIR
from .conftest import assert_serving, serve_version, status


def refused(config, reason_words, **kwargs):
    result = run_sync(config, **kwargs)
    assert not result.ok, result.summary
    assert_serving(config, 1, "Rp 30.000")
    data = status(config)
    assert data["ok"] is False
    assert reason_words in data["details"]["reason"], data["details"]["reason"]
    assert "Still serving catalog version 1" in data["summary"]
    assert data["details"]["last_success"] != "never"
    return result


def test_good_update_then_unchanged(at_v1):
    result = run_sync(at_v1)
    assert result.ok and result.changed
    assert_serving(at_v1, 2, "Rp 35.000")
    again = run_sync(at_v1)
    assert again.ok and not again.changed
    assert status(at_v1)["summary"].startswith("Catalog is up to date (version 2)")
    # nothing changed: the root probe (a 404) and timestamp.json only
    names = [u.rsplit("/", 1)[1] for u in again.fetcher.stats.urls]
    assert names == ["2.root.json", "timestamp.json"]


@pytest.mark.parametrize(
    "fault, words",
    [
        (("cut", "targets/"), "connection to the hub failed or was cut"),
        (("cut", "timestamp.json"), "connection to the hub failed or was cut"),
        (("truncate", "targets/"), "does not match what the kecamatan signed"),
        (("flip", "targets/"), "does not match what the kecamatan signed"),
        (("flip", "targets.json"), "does not match what the kecamatan signed"),
        (("500", "timestamp.json"), "server error (HTTP 500)"),
        (("500", "targets/"), "server error (HTTP 500)"),
        (("portal", "/"), "web page instead of the hub's file"),
        (("portal", "targets/"), "web page instead of the hub's file"),
        (("stall", "targets/"), "too slow or stalled"),
        (("stall", "timestamp.json"), "too slow or stalled"),
        (("endless", "timestamp.json"), "more data than the signed size allows"),
        (("endless", "targets/"), "more data than the signed size allows"),
    ],
    ids=lambda v: "-".join(v) if isinstance(v, tuple) else None,
)
def test_network_faults_keep_the_last_good_catalog(at_v1, hub_server, fault, words):
    hub_server.fault = fault
    refused(at_v1, words)
    hub_server.fault = None  # the next good connection heals everything
    result = run_sync(at_v1)
    assert result.ok and result.changed, result.summary
    assert_serving(at_v1, 2, "Rp 35.000")


def test_stalled_server_gives_up_within_the_timeouts(at_v1, hub_server):
    hub_server.fault = ("stall", "targets/")
    started = time.monotonic()
    refused(at_v1, "too slow or stalled")
    # the server would stall 10 s; the 1 s read timeout must end it well before
    assert time.monotonic() - started < 8


def test_metadata_from_another_hub_is_refused(at_v1, served, tmp_path):
    other = Hub(tmp_path / "impostor")
    other.init()
    other.publish(CATALOG_DIR, date(2026, 12, 1))
    shutil.copy(other.metadata_dir / "timestamp.json", served / "metadata" / "timestamp.json")
    refused(at_v1, "not signed by the kecamatan's keys")


def test_release_signed_with_an_online_key_is_refused(at_v1, served, hub_history, tmp_path):
    """A stolen hub server (online keys only) cannot publish content."""
    stolen = tmp_path / "stolen"
    shutil.copytree(hub_history.hub_dir, stolen)
    shutil.copy(stolen / "keys/online/snapshot.pem", stolen / "keys/technician/targets.pem")
    forger = Hub(stolen)
    catalog = SiteSource(at_v1).site.catalog
    forger.sign_release(build_release(catalog, 3, date(2026, 12, 2)), 3, date(2026, 12, 2))
    serve_version(served, forger.public)
    refused(at_v1, "not signed by the kecamatan's keys")


def test_replayed_old_release_is_refused(at_v1, served, hub_history):
    assert run_sync(at_v1).ok
    serve_version(served, hub_history.v1)  # the attacker serves the old, validly signed files
    result = run_sync(at_v1)
    assert not result.ok
    assert "older metadata than this kiosk already trusts" in status(at_v1)["details"]["reason"]
    assert_serving(at_v1, 2, "Rp 35.000")


def test_expired_metadata_is_refused(at_v1, served, hub_history, tmp_path):
    copy = tmp_path / "hubcopy"
    shutil.copytree(hub_history.hub_dir, copy)
    month_ago = datetime.now(UTC) - timedelta(days=30)
    Hub(copy, now=lambda: month_ago).refresh(force=True)  # signed a month ago: expired
    serve_version(served, copy / "public")
    refused(at_v1, "signatures have expired")


def test_signed_release_that_does_not_validate(at_v1, served, hub_history, tmp_path):
    copy = tmp_path / "hubcopy"
    shutil.copytree(hub_history.hub_dir, copy)
    bad = Hub(copy)
    bad.sign_release(b'{"format": 1, "version": 3, "catalog": {}}', 3, date(2026, 12, 3))
    serve_version(served, bad.public)
    refused(at_v1, "does not validate")
    # remembered: the next sync does not download it again
    result = run_sync(at_v1)
    assert not result.ok
    assert not any("targets/" in u for u in result.fetcher.stats.urls)
    assert "refused before" in result.reason


def test_disk_full_while_writing(at_v1):
    def full_disk(path, data, mode=0o644):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    refused(at_v1, "is the SD card full", writer=full_disk)
    releases = at_v1.state_path / "catalog" / "releases"
    assert sorted(p.name for p in releases.iterdir()) == ["1"]  # no half-written leftovers
    assert run_sync(at_v1).ok


def test_health_check_failure_rolls_back(at_v1):
    def broken(catalog):
        raise RuntimeError("template exploded")

    refused(at_v1, "failed to load (template exploded); back to release 1", health_check=broken)
    assert CatalogStore(at_v1.state_path / "catalog").current_target() == "releases/1"


def test_two_syncs_at_once(at_v1, hub_server):
    hub_server.fault = ("delay", "targets/")
    hub_server.requests.clear()
    results = []
    first = threading.Thread(target=lambda: results.append(run_sync(at_v1)))
    first.start()
    deadline = time.monotonic() + 5
    while not any("targets/" in p for p in hub_server.requests) and time.monotonic() < deadline:
        time.sleep(0.01)
    second = run_sync(at_v1)  # while the first is downloading
    first.join(10)
    assert not second.ok and "another sync is already running" in second.reason
    assert results and results[0].ok and results[0].changed
    assert_serving(at_v1, 2, "Rp 35.000")
    assert status(at_v1)["ok"] is True


def test_damaged_tuf_cache_after_a_power_cut_does_not_brick_updates(at_v1):
    cache = at_v1.state_path / "tuf"
    for name in ("timestamp.json", "snapshot.json", "targets.json"):
        (cache / name).write_bytes(b"")
    for root in (cache / "root_history").iterdir():
        root.write_bytes(b"")
    result = run_sync(at_v1)
    assert result.ok and result.changed, result.summary
    assert_serving(at_v1, 2, "Rp 35.000")
