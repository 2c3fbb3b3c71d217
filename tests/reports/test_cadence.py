"""The report cadence and the heartbeat: the hourly sync pushes about once a day, sooner
for what cannot wait, and between pushes its catalog pull keeps the kiosk "seen"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from kiosk.hub import db
from kiosk.hub.beats import note_beat
from kiosk.outbox import Outbox
from kiosk.reports import clockstate
from kiosk.reports.beat import beat_header
from kiosk.reports.hubkey import store_hub_key
from kiosk.reports.run import run_reports
from kiosk.status import write_status
from kiosk.sync.run import run_sync

from .samples import sample


def count(world, table=db.records) -> int:
    with world.engine.connect() as conn:
        return conn.scalar(sa.select(sa.func.count()).select_from(table))


def kiosk_row(world, village="kemlagi"):
    with world.engine.connect() as conn:
        return conn.execute(sa.select(db.kiosks).where(db.kiosks.c.kiosk_id == village)).one()


@pytest.fixture
def clock(monkeypatch):
    """The kiosk's boot id and CLOCK_BOOTTIME, moved by the test."""
    now = {"mono": 1000.0, "boot": "boot-a"}
    monkeypatch.setattr(clockstate, "mono", lambda: now["mono"])
    monkeypatch.setattr(clockstate, "boot_id", lambda: now["boot"])
    return now


def enrolled(world, tmp_path, **changes):
    config = world.kiosk(tmp_path / "kiosk", **changes)
    store_hub_key(config.state_path, world.keys.public.to_json())
    world.enroll(config)
    first = run_reports(config)
    assert first.ok and not first.skipped and "enrollment code" in first.summary, first.summary
    return config, Outbox.for_config(config)


def test_the_hourly_sync_pushes_once_a_day_and_sooner_for_what_cannot_wait(world, tmp_path, clock):
    config, outbox = enrolled(world, tmp_path)
    stored = count(world)
    outbox.append("counts", sample("counts"))
    outbox.append("survey", sample("survey"))
    clock["mono"] += 3600
    later = run_reports(config)
    assert later.ok and later.skipped and "next report in about 23 h" in later.summary
    assert count(world) == stored and outbox.stats()["records"] == 2  # waiting, no new health
    outbox.append("complaint", sample("complaint"), priority=True)
    assert "a complaint is waiting" in run_reports(config).summary
    assert outbox.stats()["records"] == 0 and count(world) == stored + 4  # 3 + health
    clock["mono"] += 3600
    assert run_reports(config).skipped
    write_status(config, "printer", "no paper", False, state="no-paper")
    assert "printer needs attention (no_paper)" in run_reports(config).summary
    assert run_reports(config).skipped  # the same fault is reported once
    write_status(config, "printer", "ready", True, state="ready")  # paper put in
    assert "the printer is back (ok)" in run_reports(config).summary
    assert run_reports(config).skipped
    clock["boot"] = "boot-b"
    assert "restarted" in run_reports(config).summary
    pushed = clock["mono"]
    clock["mono"] = pushed + 23 * 3600
    assert run_reports(config).skipped
    clock["mono"] = pushed + 23 * 3600 + 45 * 60  # the timer wanders: this counts as a day
    assert "24 h since the last report" in run_reports(config).summary


def test_at_the_most_frequent_setting_every_hourly_sync_pushes(world, tmp_path, clock):
    config, _ = enrolled(world, tmp_path, report_every_hours=1)
    assert run_reports(config).skipped  # a second sync in the same minute
    clock["mono"] += 55 * 60  # the next hourly timer, a little early
    assert "1 h since the last report" in run_reports(config).summary


def test_a_failed_push_is_tried_again_at_the_next_sync(world, tmp_path, clock):
    config, outbox = enrolled(world, tmp_path)
    outbox.append("complaint", sample("complaint"), priority=True)
    dead = config.replace(report_url="http://127.0.0.1:9/api/reports", sync_connect_timeout=1)
    assert not run_reports(dead).ok
    result = run_reports(config)
    assert result.ok and "a complaint is waiting" in result.summary
    assert outbox.stats()["records"] == 0


def test_the_catalog_pull_tells_the_hub_the_kiosk_is_alive(world, tmp_path, clock):
    config, _ = enrolled(world, tmp_path)
    assert beat_header(config) is None  # the push of this very sync told the hub already
    clock["mono"] += 3600  # the next hourly sync: no push due
    long_ago = datetime(2026, 1, 1, tzinfo=UTC)
    with world.engine.begin() as conn:
        conn.execute(sa.update(db.kiosks).values(last_seen_at=long_ago, last_transport="http"))
    assert run_sync(config).ok
    row = kiosk_row(world)
    seen = row.last_seen_at if row.last_seen_at.tzinfo else row.last_seen_at.replace(tzinfo=UTC)
    assert row.last_transport == "beat" and datetime.now(UTC) - seen < timedelta(minutes=5)
    assert count(world, db.health) == 1  # a beat carries no record


def test_only_a_fresh_beat_signed_by_the_enrolled_key_counts(world, tmp_path, clock):
    config, _ = enrolled(world, tmp_path)
    clock["mono"] += 3600
    now = datetime.now(UTC)
    other = world.kiosk(tmp_path / "other")  # the same village id, another key
    stale = beat_header(config, now=(now - timedelta(hours=2)).timestamp())
    ahead = beat_header(config, now=(now + timedelta(hours=1)).timestamp())
    assert stale and ahead
    for bad in (beat_header(other), stale, ahead, "kemlagi.123.abc", "garbage"):
        assert not note_beat(world.engine, bad or "", now=now), bad
    assert note_beat(world.engine, beat_header(config) or "", now=now)
    assert beat_header(config.replace(report_url="")) is None  # stick-only: no beat at all


def test_kiosk_endpoints_carry_no_browser_headers(world):
    """Kiosks pay for every byte; the console's pages keep their security headers."""
    import urllib3

    pool = urllib3.PoolManager()
    for path in ("/api/status", "/public/metadata/timestamp.json"):
        answer = pool.request("GET", world.server.url + path)
        assert answer.status == 200 and "Content-Security-Policy" not in answer.headers, path
    page = pool.request("GET", world.server.url + "/masuk", redirect=False)
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
