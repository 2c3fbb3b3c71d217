"""Times in the hub: stored as UTC; SQLite hands them back naive, so mark them again."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

WIB = timezone(timedelta(hours=7), "WIB")


def as_utc(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def local_day(value: datetime) -> date:
    """The kecamatan's calendar day (WIB) of a time; naive times are taken as UTC."""
    aware = as_utc(value)
    assert aware is not None
    return aware.astimezone(WIB).date()
