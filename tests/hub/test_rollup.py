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
