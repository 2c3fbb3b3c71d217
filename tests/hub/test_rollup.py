"""The weekly/monthly demand sums: each count folded exactly once, young rows waited for."""

from __future__ import annotations

import random
from datetime import date, timedelta

import sqlalchemy as sa

from kiosk.hub.console import rollup
from kiosk.hub.console_tables import demand_rollup
from kiosk.hub.simulate import Sim, at_wib

from .console_helpers import NOW


def sums(engine, grain, kiosk_id):
    r = demand_rollup.c
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(r.period_start, r.service_id, r.metric, r.n).where(
                r.grain == grain, r.kiosk_id == kiosk_id
            )
        )
        return {(p, s, m): n for p, s, m, n in rows}


def test_fold_weeks_and_months():
    folded = rollup.fold(
        [
            ("betro", date(2026, 11, 1), "skck", "view", 2),  # a Sunday
            ("betro", date(2026, 11, 2), "skck", "view", 3),
        ]
    )
    assert folded[("week", date(2026, 10, 26), "betro", "skck", "view")] == 2
    assert folded[("week", date(2026, 11, 2), "", "skck", "view")] == 3
    assert folded[("month", date(2026, 11, 1), "", "skck", "view")] == 5


def test_refresh_folds_each_row_once_and_waits_for_young_rows(hub_db):
    engine = hub_db.engine
    sim = Sim(engine, random.Random(1))
    sim.kiosks([("betro", "Betro"), ("kemlagi", "Kemlagi")], at=NOW)
    day = date(2026, 11, 10)
    sim.counts("betro", at_wib(day, 9), {"skck": {"view": 4}})
    sim.counts("kemlagi", at_wib(day, 9), {"skck": {"view": 1, "slip_site": 1}})
    young = NOW - timedelta(minutes=1)
    sim.counts("betro", young, {"skck": {"view": 100}})
    assert rollup.refresh(engine, now=NOW) > 0
    assert rollup.refresh(engine, now=NOW) == 0  # nothing new: nothing folded twice
    week = date(2026, 11, 9)
    assert sums(engine, "week", "")[(week, "skck", "view")] == 5
    assert sums(engine, "week", "betro")[(week, "skck", "view")] == 4
    later = NOW + timedelta(minutes=10)
    rollup.refresh(engine, now=later)
    assert sums(engine, "week", "betro")[(date(2026, 11, 16), "skck", "view")] == 100
    assert rollup.refresh(engine, now=later) == 0


def test_refresh_in_sql_matches_the_python_fold(hub_db):
    """Days on every weekday, month and year edges, two kiosks, same service twice an hour:
    the database's week/month arithmetic gives exactly rollup.fold's sums, at both levels."""
    engine = hub_db.engine
    rng = random.Random(5)
    sim = Sim(engine, rng)
    sim.kiosks([("betro", "Betro"), ("kemlagi", "Kemlagi")], at=NOW)
    given = []
    start = date(2025, 12, 20)
    for offset in range(0, 60, 3):
        day = start + timedelta(days=offset)
        for kiosk in ("betro", "kemlagi"):
            n = rng.randint(1, 9)
            sim.counts(kiosk, at_wib(day, 10), {"skck": {"view": n}, "kk-baru": {"slip_site": 1}})
            given += [(kiosk, day, "skck", "view", n), (kiosk, day, "kk-baru", "slip_site", 1)]
    sim.counts("betro", at_wib(date(2026, 2, 1), 11), {"skck": {"view": 5}})  # a later row
    given.append(("betro", date(2026, 2, 1), "skck", "view", 5))
    rollup.refresh(engine, now=NOW)
    expected = rollup.fold(given)
    found = {
        (grain, period, kiosk, service, metric): n
        for grain in ("week", "month")
        for kiosk in ("", "betro", "kemlagi")
        for (period, service, metric), n in sums(engine, grain, kiosk).items()
    }
    assert found == expected


def test_a_limited_refresh_folds_part_and_the_next_ones_the_rest(hub_db):
    """A page folds at most `limit` counts rows; the sums come out whole in the end."""
    engine = hub_db.engine
    sim = Sim(engine, random.Random(2))
    sim.kiosks([("betro", "Betro")], at=NOW)
    monday = date(2026, 11, 9)
    for hour in range(8, 13):
        sim.counts("betro", at_wib(monday, hour), {"skck": {"view": 1}, "kk-baru": {"view": 2}})
    week = (date(2026, 11, 9), "skck", "view")
    assert rollup.refresh(engine, now=NOW, limit=4) == 4
    assert sums(engine, "week", "betro")[week] == 2  # 4 of the 10 rows: two skck hours
    while rollup.refresh(engine, now=NOW, limit=4):
        pass
    assert sums(engine, "week", "betro")[week] == 5
    assert sums(engine, "week", "")[(date(2026, 11, 9), "kk-baru", "view")] == 10
