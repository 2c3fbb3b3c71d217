"""Kebenaran katalog: per service, what residents answered to "were these requirements
right?" (sesuai / kurang, with their notes) next to the entry's review state, so staff
fix the entries residents stumble on first."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask import render_template

from ...catalog.model import Service
from .. import db
from . import text
from .core import bp, engine, now, state
from .filters import arg_date

NOTES_PER_SERVICE = 5


@dataclass
class Truth:
    service: Service
    sesuai: int = 0
    kurang: int = 0
    notes: list[tuple[date, str, str]] = field(default_factory=list)  # day, village, note

    @property
    def answers(self) -> int:
        return self.sesuai + self.kurang

    @property
    def kurang_share(self) -> float:
        return self.kurang / self.answers if self.answers else 0.0


def truth_order(rows: list[Truth]) -> list[Truth]:
    """Most 'kurang' answers first; among equals the entries nobody confirmed yet."""
    return sorted(
        rows, key=lambda t: (-t.kurang, -t.kurang_share, t.service.review.confirmed, t.service.name)
    )


def gather(start: date, end: date) -> list[Truth]:
    f = db.feedback.c
    by_id = {s.id: Truth(s) for s in state().catalog().services}
    with engine().connect() as conn:
        for service_id, answer, n in conn.execute(
            sa.select(f.service_id, f.answer, sa.func.count())
            .where(f.day.between(start, end))
            .group_by(f.service_id, f.answer)
        ):
            truth = by_id.get(service_id)
            if truth is not None and answer in ("sesuai", "kurang"):
                setattr(truth, answer, int(n))
        notes: dict[str, list[Any]] = defaultdict(list)
        for row in conn.execute(newest_notes(start, end)):
            notes[row.service_id].append((row.day, row.kiosk_id, row.note))
    for service_id, found in notes.items():
        if service_id in by_id:
            by_id[service_id].notes = found
    return truth_order(list(by_id.values()))


def newest_notes(start: date, end: date) -> sa.Select[Any]:
    """Each service's NOTES_PER_SERVICE newest notes (the database ranks them; a period's
    thousands of notes never travel to Python)."""
    f = db.feedback.c
    rank = sa.func.row_number().over(
        partition_by=f.service_id, order_by=(f.day.desc(), f.id.desc())
    )
    ranked = (
        sa.select(f.service_id, f.day, f.kiosk_id, f.note, rank.label("rank"))
        .where(f.day.between(start, end), f.note.is_not(None), f.note != "")
        .subquery()
    )
    r = ranked.c
    return (
        sa.select(r.service_id, r.day, r.kiosk_id, r.note)
        .where(r.rank <= NOTES_PER_SERVICE)
        .order_by(r.service_id, r.rank)
    )


@bp.route("/katalog-kebenaran")
def truth() -> str:
    today = now().date()
    start = arg_date("dari", today - timedelta(days=90))
    end = arg_date("sampai", today)
    return render_template(
        "console/truth.html",
        rows=gather(min(start, end), max(start, end)),
        start=min(start, end),
        end=max(start, end),
        text=text,
    )
