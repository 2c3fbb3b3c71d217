"""Armada: the page. Reads each kiosk's newest health report (one index seek per kiosk)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import render_template

from .. import db
from ..utc import as_utc
from . import settings, text
from .core import bp, engine, now, state
from .fleet import FleetRow, cells, fleet_order, fleet_row


def health_view(row: Any) -> dict[str, Any]:
    """A health row in the shape of the kiosk's record body (CONTRACTS.md, ``health``)."""
    body = row.body or {}
    body = body.get("body", body) if isinstance(body, dict) else {}
    sync = dict(body.get("sync") or {})
    sync.update(last_ok=row.sync_last_ok, last_error=row.sync_last_error)
    return {
        "app_version": row.app_version,
        "catalog_version": row.catalog_version,
        "sync": sync,
        "printer": {
            "state": row.printer_state,
            "slips_since_last": row.slips_since_last,
            "paper_left_mm": row.paper_left_mm,
        },
        "disk_free_mb": row.disk_free_mb,
        "cpu_temp_c": row.cpu_temp_c,
        "throttled": {"under_voltage": bool(row.under_voltage), "throttled": bool(row.throttled)},
        "clock": {"state": row.clock_state},
        "outbox": {"records": row.outbox_records, "bytes": row.outbox_bytes},
        "received_at": as_utc(row.received_at),
    }


def latest_health_rows(conn: sa.Connection) -> dict[str, Any]:
    inner = db.health.alias("newest")
    newest = (
        sa.select(sa.func.max(inner.c.id))
        .where(inner.c.kiosk_id == db.kiosks.c.kiosk_id)
        .correlate(db.kiosks)
        .scalar_subquery()
    )
    health_columns = [c for c in db.health.c if c.name != "kiosk_id"]
    query = sa.select(db.kiosks.c.kiosk_id, db.kiosks.c.last_seen_at, *health_columns).select_from(
        db.kiosks.outerjoin(db.health, db.health.c.id == newest)
    )
    return {row.kiosk_id: row for row in conn.execute(query)}


def fleet_rows() -> list[FleetRow]:
    """All villages of the catalog (never-seen ones too) and any other enrolled kiosk."""
    with engine().connect() as conn:
        found = latest_health_rows(conn)
        interval = timedelta(minutes=settings.load(conn)["report_interval_minutes"])
    names = {v.id: v.name for v in state().catalog().villages}
    names.update({k: k for k in found if k not in names})
    current = now()
    rows = []
    for village_id, name in names.items():
        row = found.get(village_id)
        has_health = row is not None and row.id is not None
        rows.append(
            fleet_row(
                village_id=village_id,
                village_name=name,
                last_seen=as_utc(row.last_seen_at) if row is not None else None,
                health=health_view(row) if has_health else None,
                now=current,
                report_interval=interval,
            )
        )
    return fleet_order(rows)


@bp.route("/")
def fleet() -> str:
    rows = fleet_rows()
    counts = {key: sum(1 for r in rows if r.status == key) for key in text.FLEET_STATUS}
    return render_template(
        "console/fleet.html",
        rows=rows,
        counts=counts,
        red=sum(1 for r in rows if r.red),
        now=now(),
        cells=cells,
        text=text,
    )
