"""Permintaan: views, slips and feedback per service and village per week or month,
and the searches that found nothing (fleet-wide, only when seen at least 3 times)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Response, render_template, request

from .. import db
from ..console_tables import demand_rollup
from ..exports import Sheet, small, to_csv, to_xlsx
from . import charts, rollup, text
from .core import bp, engine, now
from .filters import arg_choice, arg_date, services, villages

METRICS = tuple(text.METRICS)
MIN_NO_HIT = 3


@dataclass(frozen=True)
class DemandQuery:
    grain: str  # week | month
    start: date  # first period start
    end: date  # last period start
    village: str  # "" = all
    service: str  # "" = all


def _where(q: DemandQuery) -> list[Any]:
    r = demand_rollup.c
    where = [
        r.grain == q.grain,
        r.kiosk_id == (q.village or rollup.FLEET),
        r.period_start.between(q.start, q.end),
    ]
    if q.service:
        where.append(r.service_id == q.service)
    return where


def _sums(conn: sa.Connection, q: DemandQuery, by: Any) -> dict[Any, dict[str, int]]:
    """Summed rollup rows of the query, by one column (service or period) and metric."""
    r = demand_rollup.c
    rows = conn.execute(
        sa.select(by, r.metric, sa.func.sum(r.n)).where(*_where(q)).group_by(by, r.metric)
    )
    table: dict[Any, dict[str, int]] = defaultdict(lambda: dict.fromkeys(METRICS, 0))
    for key, metric, n in rows:
        table[key][metric] = int(n)
    return table


def per_service(conn: sa.Connection, q: DemandQuery) -> dict[str, dict[str, int]]:
    return _sums(conn, q, demand_rollup.c.service_id)


def per_period(conn: sa.Connection, q: DemandQuery) -> dict[date, dict[str, int]]:
    return _sums(conn, q, demand_rollup.c.period_start)


def no_hits(conn: sa.Connection, start: date, end: date) -> list[tuple[str, int]]:
    """Fleet-wide searches with no result, seen at least MIN_NO_HIT times."""
    t = db.no_hit_searches.c
    total = sa.func.sum(t.n).label("total")
    rows = conn.execute(
        sa.select(t.query, total)
        .where(t.day.between(start, end))
        .group_by(t.query)
        .having(sa.func.sum(t.n) >= MIN_NO_HIT)
        .order_by(total.desc(), t.query)
        .limit(50)
    )
    return [(query, int(n)) for query, n in rows]


def read_query() -> DemandQuery:
    grain = "month" if request.args.get("per") == "bulan" else "week"
    today = now().date()
    default_from = today - (timedelta(weeks=11) if grain == "week" else timedelta(days=335))
    start, end = arg_date("dari", default_from), arg_date("sampai", today)
    align = rollup.week_start if grain == "week" else rollup.month_start
    return DemandQuery(
        grain,
        align(min(start, end)),
        align(max(start, end)),
        arg_choice("desa", villages()),
        arg_choice("layanan", services()),
    )


def gather(q: DemandQuery) -> dict[str, Any]:
    rollup.refresh(engine(), now=now(), limit=rollup.PAGE_LIMIT)
    with engine().connect() as conn:
        table = per_service(conn, q)
        series = per_period(conn, q)
        last_day = q.end + (timedelta(days=6) if q.grain == "week" else timedelta(days=31))
        searches = no_hits(conn, q.start, last_day)
    names = dict(services())
    site = table.pop("", dict.fromkeys(METRICS, 0))
    rows = sorted(
        ((names.get(sid, sid), sid, counts) for sid, counts in table.items()),
        key=lambda r: (-r[2]["view"], r[0]),
    )
    return {"rows": rows, "series": sorted(series.items()), "searches": searches, "site": site}


def sheet(q: DemandQuery, data: dict[str, Any]) -> Sheet:
    header = ["Layanan", "Kode", *text.METRICS.values()]
    rows = [[name, sid, *(small(c[m]) for m in METRICS)] for name, sid, c in data["rows"]]
    village = dict(villages()).get(q.village, "Semua desa")
    notes = [f"Permintaan {q.start} s.d. {q.end} ({q.grain}), {village}", "< 5: 1 sampai 4"]
    return Sheet("Permintaan", header, rows, notes)


@bp.route("/permintaan")
def demand() -> Any:
    q = read_query()
    data = gather(q)
    fmt = request.args.get("format")
    if fmt in ("csv", "xlsx"):
        searches = Sheet(
            "Pencarian tanpa hasil",
            ["Kata dicari", "Berapa kali"],
            [[query, small(n)] for query, n in data["searches"]],
        )
        body = to_csv(sheet(q, data)) if fmt == "csv" else to_xlsx([sheet(q, data), searches])
        return download(body, f"permintaan-{q.start}-{q.end}.{fmt}")
    top = data["rows"][:10]
    label = "Minggu mulai" if q.grain == "week" else "Bulan"
    bars = charts.bar_chart(
        [(name, (c["view"], c["slip_button"] + c["slip_site"])) for name, _, c in top],
        title="Layanan paling banyak dilihat",
        series=("Dilihat", "Dicetak"),
    )
    columns = charts.column_chart(
        [(text.day(start), m.get("view", 0)) for start, m in data["series"]],
        title=f"Jumlah dilihat per {'minggu' if q.grain == 'week' else 'bulan'}",
    )
    return render_template(
        "console/demand.html",
        q=q,
        data=data,
        bars=bars,
        columns=columns,
        label=label,
        villages=villages(),
        services=services(),
        text=text,
        metrics=METRICS,
    )


def download(body: bytes, filename: str) -> Response:
    kind = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pdf": "application/pdf",
        "json": "application/json",
    }[filename.rsplit(".", 1)[1]]
    return Response(
        body,
        content_type=kind,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
