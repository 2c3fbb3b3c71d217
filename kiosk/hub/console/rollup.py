"""Demand counts folded into weekly and monthly sums (per kiosk and fleet-wide).

The hub stores one ``counts`` row per kiosk, hour, service and metric: millions a year.
The Permintaan page reads ``demand_rollup`` instead. :func:`refresh` folds in the counts
rows added since the last run (``rollup_state.last_id``), leaving out rows younger than
``settle`` so an ingest transaction still open with a lower id is never skipped. It is
safe to run from two processes at once: the watermark moves with a compare-and-set and
a loser rolls back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from .. import db
from ..console_tables import demand_rollup, rollup_state

FLEET = ""  # kiosk_id of the fleet-wide sums
NAME = "counts"
PAGE_LIMIT = 2_000  # counts rows a page request folds at most (tens of ms)
ANALYZE_AFTER = 10_000  # folded counts rows after which PostgreSQL's statistics are renewed
Key = tuple[str, date, str, str, str]  # grain, period_start, kiosk_id, service_id, metric


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def month_start(day: date) -> date:
    return day.replace(day=1)


def fold(rows: Iterable[Any]) -> dict[Key, int]:
    """(kiosk_id, day, service_id, metric, n) rows → weekly and monthly sums, both levels."""
    sums: dict[Key, int] = defaultdict(int)
    for kiosk_id, day, service_id, metric, n in rows:
        for grain, start in (("week", week_start(day)), ("month", month_start(day))):
            sums[(grain, start, kiosk_id, service_id, metric)] += n
            sums[(grain, start, FLEET, service_id, metric)] += n
    return sums


def period_start(grain: str, day: Any, dialect: str) -> Any:
    """SQL for the Monday of ``day``'s week or the first of its month (as :func:`fold`)."""
    if dialect == "postgresql":
        return sa.cast(sa.func.date_trunc(grain, day), sa.Date)
    if grain == "month":
        return sa.func.strftime("%Y-%m-01", day)
    days_back = (sa.cast(sa.func.strftime("%w", day), sa.Integer) + 6) % 7  # Monday = 0
    return sa.func.date(day, "-" + sa.cast(days_back, sa.String) + " days")


def _fold_in_sql(conn: sa.Connection, after: int, top: int) -> None:
    """Add the counts rows (after, top] to the weekly and monthly sums, per kiosk and
    fleet-wide: four INSERT ... SELECT ... GROUP BY upserts, no row comes to Python."""
    c = db.counts.c
    dialect = conn.dialect.name
    insert_of = postgresql.insert if dialect == "postgresql" else sqlite.insert
    for grain in ("week", "month"):
        start = period_start(grain, c.day, dialect)
        for kiosk in (c.kiosk_id, sa.literal(FLEET)):
            groups = [start, c.service_id, c.metric] + ([kiosk] if kiosk is c.kiosk_id else [])
            select = (
                sa.select(sa.literal(grain), start, kiosk, c.service_id, c.metric, sa.func.sum(c.n))
                .where(c.id > after, c.id <= top)
                .group_by(*groups)
            )
            insert = insert_of(demand_rollup).from_select(
                ["grain", "period_start", "kiosk_id", "service_id", "metric", "n"], select
            )
            conn.execute(
                insert.on_conflict_do_update(
                    index_elements=["grain", "kiosk_id", "period_start", "service_id", "metric"],
                    set_={"n": demand_rollup.c.n + insert.excluded.n},
                )
            )


def _settled_top(
    conn: sa.Connection, after: int, cutoff: datetime, limit: int | None
) -> int | None:
    """The highest counts id (at most ``after + limit``) such that every row up to it is
    older than ``cutoff``."""
    counts, records = db.counts, db.records
    top = conn.execute(sa.select(sa.func.max(counts.c.id))).scalar()
    if top is None or top <= after:  # nothing new: the usual case, one index look-up
        return None if top is None else int(top)
    if limit is not None:
        top = min(top, after + limit)
    young = conn.execute(
        sa.select(sa.func.min(counts.c.id))
        .join(records, records.c.id == counts.c.record_pk)
        .where(counts.c.id > after, counts.c.id <= top, records.c.received_at >= cutoff)
    ).scalar()
    return int(top) if young is None else int(young) - 1


def refresh(
    engine: sa.Engine,
    *,
    now: datetime,
    settle: timedelta = timedelta(minutes=5),
    limit: int | None = None,
) -> int:
    """Fold new counts into the rollup; returns how many counts ids were folded. With
    ``limit``, at most that many (a page folds a little; a backlog is the maintenance
    thread's job, so no request's work grows with an import)."""
    with engine.begin() as conn:
        row = conn.execute(sa.select(rollup_state).where(rollup_state.c.name == NAME)).first()
        if row is None:
            conn.execute(sa.insert(rollup_state).values(name=NAME, last_id=0, refreshed_at=now))
        after = row.last_id if row else 0
        top = _settled_top(conn, after, now - settle, limit)
        if top is None or top <= after:
            return 0
        claimed = conn.execute(
            sa.update(rollup_state)
            .where(rollup_state.c.name == NAME, rollup_state.c.last_id == after)
            .values(last_id=top, refreshed_at=now)
        )
        if claimed.rowcount != 1:  # another process folded this range
            conn.rollback()
            return 0
        _fold_in_sql(conn, after, top)
        if conn.dialect.name == "postgresql" and top - after > ANALYZE_AFTER:
            # fresh statistics, or the planner may scan the whole rollup (autovacuum is late)
            conn.execute(sa.text("ANALYZE demand_rollup"))
        return top - after
