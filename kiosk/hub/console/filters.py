"""The filter bar every report page shares: dates, period, village, service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import request

from ..periods import KINDS, Period, custom_period, make_period, period_containing
from .core import now, state


def arg_date(name: str, default: date) -> date:
    value = request.args.get(name, "")
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


def villages() -> list[tuple[str, str]]:
    return [(v.id, v.name) for v in state().catalog().villages]


def services() -> list[tuple[str, str]]:
    return sorted(((s.id, s.name) for s in state().catalog().services), key=lambda p: p[1])


def arg_choice(name: str, choices: list[tuple[str, str]]) -> str:
    """'' (all) unless the argument names a known id."""
    value = request.args.get(name, "")
    return value if value in {key for key, _ in choices} else ""


@dataclass(frozen=True)
class PeriodChoice:
    period: Period
    kind: str
    year: int
    index: int


def arg_period() -> PeriodChoice:
    """Period from ?periode=triwulan|semester|tahun|custom&tahun=&ke=&dari=&sampai=."""
    today = now().date()
    kind = request.args.get("periode", "semester")
    kind = kind if kind in KINDS else "semester"
    if kind == "custom":
        start = arg_date("dari", today - timedelta(days=90))
        end = arg_date("sampai", today)
        if end < start:
            start, end = end, start
        return PeriodChoice(custom_period(start, end), kind, start.year, 1)
    current = period_containing(kind, today)
    try:
        year = int(request.args.get("tahun", current.start.year))
        index = int(request.args.get("ke", 0)) or _index_of(current)
        return PeriodChoice(make_period(kind, year, index), kind, year, index)
    except ValueError:
        return PeriodChoice(current, kind, current.start.year, _index_of(current))


def _index_of(period: Period) -> int:
    months = {"triwulan": 3, "semester": 6}.get(period.kind, 12)
    return (period.start.month - 1) // months + 1
