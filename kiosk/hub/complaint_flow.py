"""A complaint's life: statuses, the allowed moves, the response deadline, contact expiry.

Pure. Statuses follow the LAPOR!/Perpres 76/2013 practice the kecamatan uses:
Diterima → Diverifikasi → Diteruskan → Ditindaklanjuti → Selesai, or closed early as
Ditolak / Bukan wewenang. Staff may skip forward (a small matter can go from Diterima
straight to Selesai) but never back; a closed complaint stays closed.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from .utc import local_day

FLOW = ("diterima", "diverifikasi", "diteruskan", "ditindaklanjuti", "selesai")
CLOSED_EARLY = ("ditolak", "bukan_wewenang")
STATUSES = FLOW + CLOSED_EARLY
CLOSED = ("selesai", *CLOSED_EARLY)


def allowed_next(status: str) -> tuple[str, ...]:
    """The statuses a complaint in ``status`` may move to."""
    if status in CLOSED:
        return ()
    if status not in FLOW:
        raise ValueError(f"unknown complaint status {status!r}")
    return FLOW[FLOW.index(status) + 1 :] + CLOSED_EARLY


def check_move(current: str, new: str) -> None:
    if new not in STATUSES:
        raise ValueError(f"unknown complaint status {new!r}")
    if new not in allowed_next(current):
        raise ValueError(f"a complaint cannot go from {current!r} to {new!r}")


def add_working_days(start: date, days: int) -> date:
    """``days`` working days (Monday–Friday) after ``start``."""
    day = start
    left = days
    while left > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


def due_date(received: datetime, deadline_days: int) -> date:
    """Last day (WIB) to answer: the deadline counts working days from receipt."""
    return add_working_days(local_day(received), deadline_days)


def is_overdue(status: str, received: datetime, deadline_days: int, now: datetime) -> bool:
    return status not in CLOSED and local_day(now) > due_date(received, deadline_days)


def overdue_before(deadline_days: int, now: datetime) -> date:
    """Complaints received (WIB) before this day are overdue if still open."""
    day = local_day(now)
    while add_working_days(day, deadline_days) >= local_day(now):
        day -= timedelta(days=1)
    return day + timedelta(days=1)


def contact_expired(closed_at: datetime | None, retention_days: int, now: datetime) -> bool:
    """A closed complaint's contact is deleted ``retention_days`` after it was closed."""
    return closed_at is not None and now >= closed_at + timedelta(days=retention_days)
