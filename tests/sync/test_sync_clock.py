"""The time floor: expiry is judged at max(system clock, floor); the floor only moves up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kiosk.sync.clock import TimeFloor
from kiosk.sync.run import run_sync

from .conftest import assert_serving, status

T = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)


def test_floor_starts_empty_and_only_moves_forward(tmp_path):
    floor = TimeFloor(tmp_path)
    assert floor.get() is None
    assert floor.effective_now(T) == T
    assert floor.raise_to(T, "2026-11-28T00:00:00Z") == datetime(2026, 11, 28, tzinfo=UTC)
    assert floor.raise_to(T - timedelta(days=400)) == datetime(2026, 11, 28, tzinfo=UTC)
    assert TimeFloor(tmp_path).get() == datetime(2026, 11, 28, tzinfo=UTC)  # persisted
    assert floor.effective_now(datetime(1970, 1, 1, tzinfo=UTC)) == floor.get()
    assert floor.clock_behind(T) and not floor.clock_behind(T + timedelta(days=2))


def test_unreadable_floor_falls_back_to_the_clock(tmp_path):
    (tmp_path / "time-floor.json").write_text("{half a fi")
    assert TimeFloor(tmp_path).effective_now(T) == T


def test_sync_raises_the_floor_to_the_hubs_signed_issue_time(at_v1):
    assert run_sync(at_v1).ok
    floor = TimeFloor(at_v1.state_path / "sync").get()
    assert floor is not None and abs(floor - datetime.now(UTC)) < timedelta(minutes=5)


def test_clock_in_1970_judges_expiry_at_the_floor_and_still_updates(at_v1):
    result = run_sync(at_v1, now=lambda: datetime(1970, 1, 1, tzinfo=UTC))
    assert result.ok and result.changed, result.summary
    assert "system clock (1970-01-01" in status(at_v1)["details"]["clock"]


def test_floor_past_the_hubs_expiry_blocks_updates_never_serving(at_v1):
    TimeFloor(at_v1.state_path / "sync").raise_to(datetime.now(UTC) + timedelta(days=60))
    result = run_sync(at_v1)  # the system clock says the metadata is fresh; the floor does not
    assert not result.ok
    assert "signatures have expired" in result.reason and "judged at" in result.reason
    assert_serving(at_v1, 1, "Rp 30.000")
