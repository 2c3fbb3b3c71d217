"""Complaints in the hub database: the inbox order, status changes with history, and the
scheduled deletion of contacts (UU 27/2022: kept only while needed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from . import accounts, db
from .complaint_flow import (
    CLOSED,
    check_move,
    contact_expired,
    due_date,
    overdue_before,
)
from .console_tables import complaint_history
from .utc import WIB, as_utc

PAGE = 50


@dataclass(frozen=True)
class Change:
    status: str
    public_answer: str | None
    lapor_id: str | None
    note: str


def _as_utc(value: datetime) -> datetime:
    result = as_utc(value)
    assert result is not None
    return result


def inbox(
    conn: sa.Connection, *, now: datetime, deadline_days: int, show: str, page: int
) -> list[Any]:
    """Overdue first (oldest first), then new (Diterima), then other open, then closed."""
    c = db.complaints.c
    cutoff = _overdue_cutoff(deadline_days, now)
    rank = sa.case(
        (c.status.in_(CLOSED), 3),
        (c.received_at < cutoff, 0),
        (c.status == "diterima", 1),
        else_=2,
    )
    query = sa.select(db.complaints)
    if show == "terbuka":
        query = query.where(c.status.not_in(CLOSED))
    elif show != "semua":
        query = query.where(c.status == show)
    query = query.order_by(rank, c.received_at.asc(), c.id).limit(PAGE).offset(page * PAGE)
    return list(conn.execute(query).all())


def _overdue_cutoff(deadline_days: int, now: datetime) -> datetime:
    """Open complaints received before this (UTC) are overdue."""
    start = datetime.combine(overdue_before(deadline_days, now), datetime.min.time(), WIB)
    return start.astimezone(UTC)  # SQLite compares the stored UTC text


def counts_by_state(conn: sa.Connection, *, now: datetime, deadline_days: int) -> dict[str, int]:
    c = db.complaints.c
    cutoff = _overdue_cutoff(deadline_days, now)
    total, new, late = conn.execute(
        sa.select(
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(sa.case((c.status == "diterima", 1), else_=0)), 0),
            sa.func.coalesce(sa.func.sum(sa.case((c.received_at < cutoff, 1), else_=0)), 0),
        ).where(c.status.not_in(CLOSED))
    ).one()
    return {"terbuka": int(total), "terlambat": int(late), "baru": int(new)}


def get(conn: sa.Connection, ticket: str) -> Any:
    return conn.execute(sa.select(db.complaints).where(db.complaints.c.ticket == ticket)).first()


def history(conn: sa.Connection, ticket: str) -> list[Any]:
    h = complaint_history.c
    return list(
        conn.execute(
            sa.select(complaint_history).where(h.ticket == ticket).order_by(h.at, h.id)
        ).all()
    )


def change(engine: sa.Engine, ticket: str, change: Change, *, user: str, now: datetime) -> None:
    """Move a complaint on (ValueError for a move the flow does not allow) and log it."""
    with engine.begin() as conn:
        row = get(conn, ticket)
        if row is None:
            raise KeyError(ticket)
        values: dict[str, Any] = {
            "public_answer": (change.public_answer or "").strip() or None,
            "lapor_id": (change.lapor_id or "").strip() or None,
        }
        if change.status != row.status:
            check_move(row.status, change.status)
            values.update(status=change.status, status_changed_at=now)
            conn.execute(
                sa.insert(complaint_history).values(
                    ticket=ticket,
                    at=now,
                    user_name=user,
                    from_status=row.status,
                    to_status=change.status,
                    note=change.note.strip(),
                )
            )
        conn.execute(sa.update(db.complaints).where(db.complaints.c.id == row.id).values(**values))
        detail = {
            "status": [row.status, change.status],
            "lapor_id": values["lapor_id"],
            "answer_changed": values["public_answer"] != row.public_answer,
        }
        accounts.audit(conn, user, "complaint.update", ticket, detail, now=now)


def due(row: Any, deadline_days: int) -> Any:
    return due_date(_as_utc(row.received_at), deadline_days)


def purge_contacts(engine: sa.Engine, *, now: datetime, retention_days: int) -> list[str]:
    """Delete name and phone of complaints closed ``retention_days`` ago; returns tickets."""
    c = db.complaints.c
    with engine.begin() as conn:
        rows = conn.execute(
            sa.select(c.id, c.ticket, c.status_changed_at).where(
                c.status.in_(CLOSED),
                c.contact_purged_at.is_(None),
                sa.or_(c.contact_name.is_not(None), c.contact_phone.is_not(None)),
            )
        ).all()
        done = [
            r for r in rows if contact_expired(_as_utc(r.status_changed_at), retention_days, now)
        ]
        for row in done:
            conn.execute(
                sa.update(db.complaints)
                .where(c.id == row.id)
                .values(contact_name=None, contact_phone=None, contact_purged_at=now)
            )
        if done:
            accounts.audit(
                conn,
                "system",
                "complaint.contact_purge",
                f"{len(done)} tickets",
                {"tickets": [r.ticket for r in done]},
                now=now,
            )
    return [r.ticket for r in done]
