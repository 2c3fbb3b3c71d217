"""The SKM/IKM report of a period, village and service: one gatherer for the console
page, the XLSX and PDF downloads and ``kiosk hub report ikm``.

The database sums each unsur's answers (SUM and COUNT per column, so blank answers
drop out); :mod:`kiosk.hub.ikm` does the arithmetic.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa

from . import db
from .console_tables import service_users
from .ikm import UNSUR_KEYS, IkmResult, ordered_unsur, result_from_sums
from .periods import Period

PROFILE_FIELDS = ("jenis_kelamin", "usia", "pendidikan", "pekerjaan")
Profile = dict[str, list[tuple[str | None, int]]]
MAX_SARAN = 500


@dataclass(frozen=True)
class SkmFilter:
    period: Period
    village: str = ""  # "" = every village
    service: str = ""  # "" = every service


@dataclass(frozen=True)
class SkmReport:
    filter: SkmFilter
    result: IkmResult
    numbering: str
    village_name: str
    service_name: str
    profile: Profile = field(default_factory=dict)
    saran: list[tuple[date, str, str]] = field(default_factory=list)  # day, village, text

    def unsur_rows(self) -> list[tuple[str, str, int, float | None, float | None]]:
        """(U-label, key, answers, NRR, nilai) in the kecamatan's numbering."""
        rows = []
        for number, unsur in ordered_unsur(self.numbering):
            score = self.result.score(unsur.key)
            rows.append(
                (f"U{number} {unsur.name}", unsur.key, score.answers, score.nrr, score.nilai)
            )
        return rows


def _conditions(f: SkmFilter) -> list[Any]:
    s = db.surveys.c
    where: list[sa.ColumnElement[bool]] = [s.day.between(f.period.start, f.period.end)]
    if f.village:
        where.append(s.kiosk_id == f.village)
    if f.service:
        where.append(s.service_id == f.service)
    return where


def ikm_sums(conn: sa.Connection, f: SkmFilter) -> tuple[int, dict[str, tuple[int, int]]]:
    s = db.surveys.c
    columns: list[sa.ColumnElement[Any]] = [sa.func.count()]
    for key in UNSUR_KEYS:
        column = s[f"u_{key}"]
        columns += [sa.func.coalesce(sa.func.sum(column), 0), sa.func.count(column)]
    row = conn.execute(sa.select(*columns).where(*_conditions(f))).one()
    sums = {key: (int(row[1 + 2 * i]), int(row[2 + 2 * i])) for i, key in enumerate(UNSUR_KEYS)}
    return int(row[0]), sums


def profile(conn: sa.Connection, f: SkmFilter) -> Profile:
    """The respondents' profile: one GROUP BY over the four fields, tallied here (one
    index-only read of ix_surveys_report instead of one per field)."""
    s = db.surveys.c
    fields = [s[name] for name in PROFILE_FIELDS]
    tallies: list[dict[str | None, int]] = [defaultdict(int) for _ in PROFILE_FIELDS]
    rows = conn.execute(
        sa.select(*fields, sa.func.count()).where(*_conditions(f)).group_by(*fields)
    )
    for *values, n in rows:
        for tally, value in zip(tallies, values, strict=True):
            tally[value] += int(n)
    return {
        name: sorted(tally.items(), key=lambda p: (-p[1], p[0] or ""))
        for name, tally in zip(PROFILE_FIELDS, tallies, strict=True)
    }


def saran(conn: sa.Connection, f: SkmFilter) -> list[tuple[date, str, str]]:
    s = db.surveys.c
    rows = conn.execute(
        sa.select(s.day, s.kiosk_id, s.saran)
        .where(*_conditions(f), s.saran.is_not(None), s.saran != "")
        .order_by(s.day.desc(), s.id.desc())
        .limit(MAX_SARAN)
    )
    return [(day, kiosk, str(txt)) for day, kiosk, txt in rows]


def population(conn: sa.Connection, f: SkmFilter) -> int | None:
    """Service users staff entered for exactly this period and village (None if not)."""
    u = service_users.c
    value = conn.execute(
        sa.select(u.users).where(
            u.period_start == f.period.start,
            u.period_end == f.period.end,
            u.village_id == f.village,
        )
    ).scalar()
    return None if value is None else int(value)


def build_report(
    conn: sa.Connection,
    f: SkmFilter,
    *,
    numbering: str,
    names: dict[str, str],
    details: bool = True,
) -> SkmReport:
    """The whole report; ``details=False`` skips profile and saran (JSON/CSV)."""
    n, sums = ikm_sums(conn, f)
    result = result_from_sums(n, sums, population(conn, f))
    return SkmReport(
        filter=f,
        result=result,
        numbering=numbering,
        village_name=names.get(f.village, "Semua desa") if f.village else "Semua desa",
        service_name=names.get(f.service, f.service) if f.service else "Semua layanan",
        profile=profile(conn, f) if details else {},
        saran=saran(conn, f) if details else [],
    )


def report_json(report: SkmReport) -> dict[str, Any]:
    """The CLI's JSON: n, ikm (2 decimals), mutu, unsur key → NRR, and the context."""
    r = report.result
    return {
        "period": {
            "from": report.filter.period.start.isoformat(),
            "to": report.filter.period.end.isoformat(),
            "label": report.filter.period.label,
        },
        "village": report.filter.village or None,
        "service": report.filter.service or None,
        "n": r.n,
        "ikm": None if r.ikm is None else float(r.ikm),
        "mutu": r.mutu,
        "kinerja": r.kinerja,
        "unsur": {s.key: None if s.nrr is None else round(s.nrr, 4) for s in r.scores},
        "unsur_answers": {s.key: s.answers for s in r.scores},
        "missing": list(r.missing),
        "service_users": r.population,
        "sample_needed": r.sample_needed,
        "provisional": r.provisional,
    }
