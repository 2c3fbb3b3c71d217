"""Report periods: triwulan, semester, year or a custom range, as inclusive dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

KINDS = ("triwulan", "semester", "tahun", "custom")
ROMAN = ("I", "II", "III", "IV")


@dataclass(frozen=True)
class Period:
    kind: str
    start: date  # inclusive
    end: date  # inclusive

    @property
    def label(self) -> str:
        """Indonesian name used on the console and in reports."""
        if self.kind == "triwulan":
            return f"Triwulan {ROMAN[(self.start.month - 1) // 3]} {self.start.year}"
        if self.kind == "semester":
            return f"Semester {1 if self.start.month <= 6 else 2} {self.start.year}"
        if self.kind == "tahun":
            return f"Tahun {self.start.year}"
        return f"{self.start.isoformat()} s.d. {self.end.isoformat()}"


def _month_end(year: int, month: int) -> date:
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def make_period(kind: str, year: int, index: int = 1) -> Period:
    """Triwulan 1–4, semester 1–2 or the whole year (index ignored)."""
    if kind == "tahun":
        return Period(kind, date(year, 1, 1), date(year, 12, 31))
    months = {"triwulan": 3, "semester": 6}.get(kind)
    if months is None:
        raise ValueError(f"period kind must be one of {KINDS[:3]}, not {kind!r}")
    count = 12 // months
    if not 1 <= index <= count:
        raise ValueError(f"{kind} must be 1-{count}, not {index}")
    first = (index - 1) * months + 1
    last = first + months - 1
    return Period(kind, date(year, first, 1), _month_end(year, last))


def custom_period(start: date, end: date) -> Period:
    if end < start:
        raise ValueError(f"period ends ({end}) before it starts ({start})")
    return Period("custom", start, end)


def period_containing(kind: str, day: date) -> Period:
    if kind == "tahun":
        return make_period(kind, day.year)
    months = 3 if kind == "triwulan" else 6
    return make_period(kind, day.year, (day.month - 1) // months + 1)
