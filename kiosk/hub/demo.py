"""The demo hub: the 20 villages of Kemlagi with a few simulated kiosks' reports, so a
newcomer sees a filled console (``scripts/demo-hub``, ``kiosk hub demo``)."""

from __future__ import annotations

import random
import secrets
from datetime import date, timedelta

import sqlalchemy as sa

from ..catalog.release import bundled_release_path, load_release
from . import accounts, db
from .complaint_flow import FLOW
from .simulate import NO_HITS, NOTES, Sim, at_wib, ticket_code

DEMO_USER = "demo"
ACTIVE = 12  # villages whose kiosk reports; the rest show as never seen or offline


def fill_demo(engine: sa.Engine, *, today: date) -> tuple[str, str]:
    """Fill an empty hub (a filled one is left as it is); returns (user, password)."""
    password = "demo-" + secrets.token_urlsafe(9)
    now = db.utcnow()
    if any(u.name == DEMO_USER for u in accounts.list_users(engine)):
        accounts.set_password(engine, DEMO_USER, password, by="demo", now=now)
    else:
        accounts.add_user(engine, DEMO_USER, "admin", password, now=now)
    with engine.connect() as conn:
        if conn.execute(sa.select(sa.func.count()).select_from(db.records)).scalar():
            return DEMO_USER, password
    catalog = load_release(bundled_release_path())
    sim = Sim(engine, random.Random(2026))
    villages = [(v.id, v.name) for v in catalog.villages]
    sim.kiosks(villages[: ACTIVE + 2], at=at_wib(today - timedelta(days=120), 8))
    services = [s.id for s in catalog.services]
    for index, (village, _) in enumerate(villages[:ACTIVE]):
        _village_history(sim, village, services, today, heavy=index < 4)
    _fleet_states(sim, villages, today)
    _complaints(sim, [v for v, _ in villages[:ACTIVE]], today)
    return DEMO_USER, password


def _village_history(
    sim: Sim, village: str, services: list[str], today: date, *, heavy: bool
) -> None:
    rng = sim.rng
    for back in range(56, 0, -1):
        day = today - timedelta(days=back)
        if day.weekday() >= 5:
            continue
        for hour in (8, 10, 13):
            picked = rng.sample(services, 3 if heavy else 1)
            counts = {
                sid: {
                    "feedback_sesuai": rng.randint(0, 2),
                    "feedback_kurang": rng.randint(0, 1),
                    "view": rng.randint(1, 9),
                    "slip_button": rng.randint(0, 3),
                    "slip_site": rng.randint(0, 2),
                }
                for sid in picked
            }
            counts[""] = {"portal_opens": rng.randint(1, 6)}
            no_hit = {rng.choice(NO_HITS): 1} if rng.random() < 0.2 else None
            sim.counts(village, at_wib(day, hour), counts, no_hit)
        if rng.random() < (0.8 if heavy else 0.3):
            sim.survey(village, day, rng.choice(services))
        if rng.random() < 0.4:
            answer = "kurang" if rng.random() < 0.3 else "sesuai"
            note = rng.choice(NOTES) if answer == "kurang" else None
            sim.feedback(village, day, rng.choice(services[:8]), answer, note)


def _fleet_states(sim: Sim, villages: list[tuple[str, str]], today: date) -> None:
    now = db.utcnow()
    for index, (village, _) in enumerate(villages[: ACTIVE + 2]):
        if index == 1:
            sim.health(village, now - timedelta(minutes=20), printer={"state": "no_paper"})
        elif index == 2:
            sim.health(
                village,
                now - timedelta(minutes=35),
                throttled={"under_voltage": True, "throttled": True},
            )
        elif index == 3:
            sim.health(
                village,
                now - timedelta(minutes=10),
                sync={
                    "last_error": "hub tidak terjangkau (timeout)",
                    "last_error_at": now.isoformat(),
                    "last_ok": (now - timedelta(days=2)).isoformat(),
                },
            )
        elif index >= ACTIVE:
            sim.health(village, now - timedelta(days=3 + index - ACTIVE))
        else:
            sim.health(village, now - timedelta(minutes=5 + index))


def _complaints(sim: Sim, villages: list[str], today: date) -> None:
    rng = sim.rng
    for back in (1, 2, 4, 9, 12, 15, 20, 26, 33, 40):
        placed = at_wib(today - timedelta(days=back), 9, 30)
        sim.complaint(
            rng.choice(villages),
            ticket_code(rng),
            placed,
            status=FLOW[min(len(FLOW) - 1, back // 8)],
            status_changed_at=placed + timedelta(days=1),
        )
