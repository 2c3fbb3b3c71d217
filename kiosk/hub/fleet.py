"""The fleet at a glance, for ``kiosk hub kiosks`` (the console has its own pages)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from . import db


def fleet_lines(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        kiosks = conn.execute(sa.select(db.kiosks).order_by(db.kiosks.c.kiosk_id)).all()
        latest = {row.kiosk_id: row for row in conn.execute(db.latest_health())}
    if not kiosks:
        return ["no kiosks yet: 'kiosk hub enroll VILLAGE' makes an enrollment code"]
    lines = []
    for kiosk in kiosks:
        if kiosk.revoked_at is not None:
            state = f"REVOKED {kiosk.revoked_at:%Y-%m-%d} ({kiosk.revoked_reason or '-'})"
        elif kiosk.public_key is None:
            state = "waiting for enrollment"
        else:
            state = f"key {kiosk.key_fingerprint}"
        seen = (
            f"{kiosk.last_seen_at:%Y-%m-%d %H:%M} via {kiosk.last_transport}"
            if kiosk.last_seen_at
            else "never"
        )
        lines.append(f"{kiosk.kiosk_id:20} {state}; last seen {seen}")  # report or beat
        health = latest.get(kiosk.kiosk_id)
        if health is not None:
            lines.append(
                f"  {health.day}: app {health.app_version}, catalog {health.catalog_version}, "
                f"printer {health.printer_state}, disk {health.disk_free_mb} MB free, "
                f"outbox {health.outbox_records} record(s), clock {health.clock_state}"
            )
    return lines
