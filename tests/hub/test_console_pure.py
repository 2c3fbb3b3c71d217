"""Pure parts of the console: fleet rows, charts, exports, words."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from openpyxl import load_workbook

from kiosk.hub.console import charts, text
from kiosk.hub.console.fleet import NEVER, OFFLINE, ONLINE, fleet_order, fleet_row
from kiosk.hub.exports import Sheet, small, to_csv, to_xlsx
from kiosk.hub.simulate import health_body

NOW = datetime(2026, 11, 18, 3, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def row(last_seen, **changes):
    import random

    health = health_body(random.Random(1), NOW, **changes) if last_seen else None
    return fleet_row(
        village_id="betro",
        village_name="Betro",
        last_seen=last_seen,
        health=health,
        now=NOW,
        report_interval=HOUR,
    )


def test_fleet_status_by_heartbeat_age():
    assert row(NOW - 3 * HOUR).status == ONLINE  # exactly 3 intervals: not yet offline
    assert row(NOW - 3 * HOUR - timedelta(seconds=1)).status == OFFLINE
    assert row(None).status == NEVER and not row(None).red
    hot = row(NOW, cpu_temp_c=81.0, disk_free_mb=100)
    assert {p.code for p in hot.problems} == {"hot", "disk_low"} and hot.red
    late = row(NOW, clock={"state": "behind"}, outbox={"records": 5000, "bytes": 1})
    assert [p.code for p in late.problems] == ["clock_behind", "backlog"]
    assert fleet_order([row(NOW), late, row(None)])[0] is late


def test_failed_sync_counts_only_when_newer_than_the_last_success():
    old_failure = {
        "last_ok": "2026-11-18T02:00:00+00:00",
        "last_error": "timeout",
        "last_error_at": "2026-11-17T02:00:00+00:00",
    }
    assert row(NOW, sync=old_failure).problems == ()
    new_failure = dict(old_failure, last_error_at="2026-11-18T02:30:00+00:00")
    assert [p.code for p in row(NOW, sync=new_failure).problems] == ["sync_failed"]


def test_charts_are_labelled_escaped_svg():
    svg = charts.bar_chart([("KTP <baru>", (3, 1))], title="Top", series=("Dilihat", "Dicetak"))
    assert svg.startswith("<svg") and 'role="img" aria-label="Top"' in svg
    assert (
        "KTP &lt;baru&gt;" in svg and "<desc>KTP &lt;baru&gt;: Dilihat 3, Dicetak 1</desc>" in svg
    )
    empty = charts.column_chart([], title="Kosong")
    assert "<title>Kosong</title>" in empty


def test_small_counts_and_writers():
    assert [small(n) for n in (0, 1, 4, 5)] == [0, "< 5", "< 5", 5]
    sheet = Sheet("Uji", ["a", "b"], [["x", small(3)], ["y", 7]], ["catatan"])
    assert to_csv(sheet).decode("utf-8-sig") == "a,b\r\nx,< 5\r\ny,7\r\n"
    book = load_workbook(io.BytesIO(to_xlsx([sheet])))
    values = [[c.value for c in r] for r in book["Uji"].iter_rows()]
    assert values == [["catatan", None], ["a", "b"], ["x", "< 5"], ["y", 7]]


def test_indonesian_time_words():
    assert text.ago(NOW - timedelta(minutes=5), NOW) == "5 menit lalu"
    assert text.ago(NOW - timedelta(days=2, hours=3), NOW) == "2 hari lalu"
    assert text.when(NOW) == "18 Nov 2026 10:00 WIB"
    assert text.when_iso("2026-11-18T03:00:00+00:00") == "18 Nov 2026 10:00 WIB"
    assert text.when_iso("kemarin") == "kemarin"
