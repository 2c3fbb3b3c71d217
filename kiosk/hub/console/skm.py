"""SKM / IKM: the survey results of a period, village and service, and their downloads;
staff enter the period's number of service users here (for the Krejcie–Morgan check)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar, cast

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for

from .. import db
from ..console_tables import service_users
from ..skm_export import skm_csv, skm_pdf, skm_xlsx
from ..skm_report import SkmFilter, SkmReport, build_report, report_json
from . import charts, settings, text
from .core import audit, bp, engine, role_required, state
from .demand import download
from .filters import arg_choice, arg_period, services, villages

REPORT_CACHE = 32  # reports and downloads kept per hub app, oldest dropped first
T = TypeVar("T")


def names() -> dict[str, str]:
    return dict(villages()) | dict(services())


def current_report(*, details: bool = True) -> tuple[SkmReport, Any, tuple[Any, ...]]:
    """The report the request's filters ask for, its period choice and its cache key."""
    choice = arg_period()
    f = SkmFilter(choice.period, arg_choice("desa", villages()), arg_choice("layanan", services()))
    with engine().connect() as conn:
        numbering = settings.load(conn)["unsur_numbering"]
        key = (f, numbering, details, data_version(conn))
        report = cached(
            key,
            lambda: build_report(conn, f, numbering=numbering, names=names(), details=details),
        )
    return report, choice, key


def cached(key: Any, make: Callable[[], T]) -> T:
    """A report or download kept by its data version (oldest dropped past REPORT_CACHE)."""
    console = state()
    found = console.reports.get(key)
    if found is None:
        found = make()
        with console.lock:
            while len(console.reports) >= REPORT_CACHE:
                console.reports.pop(next(iter(console.reports)))
            console.reports[key] = found
    return cast(T, found)


def data_version(conn: sa.Connection) -> tuple[Any, ...]:
    """Changes whenever a survey arrives or a service-user count is saved (two index
    look-ups), so a cached report is never stale."""
    u = service_users.c
    return (
        conn.execute(sa.select(sa.func.max(db.surveys.c.id))).scalar(),
        tuple(conn.execute(sa.select(sa.func.max(u.id), sa.func.sum(u.users))).one()),
    )


@bp.route("/skm")
def skm() -> Any:
    fmt = request.args.get("format")
    report, choice, key = current_report(details=fmt not in ("json", "csv"))
    stem = f"skm-{report.filter.period.start}-{report.filter.period.end}"
    if fmt == "json":
        body = json.dumps(report_json(report), ensure_ascii=False, indent=2).encode()
        return download(body, f"{stem}.json")
    writers = {"csv": skm_csv, "xlsx": skm_xlsx, "pdf": skm_pdf}
    if fmt in writers:
        body = cached((key, fmt), lambda: writers[fmt](report))  # the same bytes until new data
        return download(body, f"{stem}.{fmt}")
    chart = charts.bar_chart(
        [(label, (round(nilai or 0),)) for label, _, _, _, nilai in report.unsur_rows()],
        title="Nilai tiap unsur (NRR x 25)",
        series=("Nilai",),
    )
    return render_template(
        "console/skm.html",
        report=report,
        choice=choice,
        chart=chart,
        text=text,
        villages=villages(),
        services=services(),
        args=request.args.to_dict(),
    )


def back() -> str:
    """The SKM page with the same filters (the form posts to a URL that carries them)."""
    query = request.query_string.decode("ascii", "replace")
    return url_for("console.skm") + (f"?{query}" if query else "")


@bp.route("/skm/pengguna-layanan", methods=["POST"])
@role_required("admin", "petugas")
def skm_service_users() -> Any:
    """Save the number of service users of the shown period and village."""
    report, _, _ = current_report(details=False)
    f = report.filter
    try:
        users = int(request.form.get("pengguna", ""))
        if users < 0:
            raise ValueError(users)
    except ValueError:
        flash(text.MSG["bad_number"])
        return redirect(back(), 303)
    u = service_users.c
    with engine().begin() as conn:
        conn.execute(
            sa.delete(service_users).where(
                u.period_start == f.period.start,
                u.period_end == f.period.end,
                u.village_id == f.village,
            )
        )
        conn.execute(
            sa.insert(service_users).values(
                period_start=f.period.start,
                period_end=f.period.end,
                village_id=f.village,
                users=users,
            )
        )
    audit(
        "skm.service_users", f"{f.period.start}/{f.period.end}/{f.village or '*'}", {"users": users}
    )
    flash(text.MSG["saved"])
    return redirect(back(), 303)
