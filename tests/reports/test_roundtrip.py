"""Kiosk → hub, for real: enroll, sync, and the hub's database holds each record once."""

from __future__ import annotations

import sqlalchemy as sa

from kiosk.hub import db
from kiosk.outbox import Outbox
from kiosk.reports.run import run_reports
from kiosk.status import read_status
from kiosk.sync.run import run_sync

from .samples import sample


def rows(world, table):
    with world.engine.connect() as conn:
        return conn.execute(sa.select(table)).all()


def first_sync(world, config):
    """What 'kiosk sync' does on a new kiosk: no key yet → pull → report."""
    before = run_reports(config)
    assert before.needs_key
    assert run_sync(config).ok
    return run_reports(config)


def test_enrolled_kiosk_reports_health_and_residents_records_once(world, tmp_path):
    config = world.kiosk(tmp_path / "kiosk")
    world.enroll(config)
    result = first_sync(world, config)
    assert result.ok, result.summary
    outbox = Outbox.for_config(config)
    outbox.append("complaint", sample("complaint"), priority=True)
    outbox.append("survey", sample("survey"))
    outbox.append("counts", sample("counts"))
    result = run_reports(config, force=True)
    assert result.ok, result.summary
    assert outbox.stats()["records"] == 0
    healths = rows(world, db.health)  # one at every push
    assert len(healths) == 2 and {h.kiosk_id for h in healths} == {"kemlagi"}
    assert healths[-1].catalog_version == 1 and healths[-1].printer_state == "none"
    (complaint,) = rows(world, db.complaints)
    assert complaint.contact_phone == "081234567890" and complaint.status == "diterima"
    assert len(rows(world, db.surveys)) == 1
    assert {(c.service_id, c.metric, c.n) for c in rows(world, db.counts)} >= {
        ("ktp-el-baru", "view", 5),
        ("ktp-el-baru", "slip_button", 1),
        ("", "portal_opens", 3),
    }
    kiosk = rows(world, db.kiosks)[0]
    assert kiosk.public_key and kiosk.last_transport == "http"
    status = read_status(config, "reports")
    assert status["ok"] and status["details"]["enrollment"] == "done or none"


def test_records_are_placed_by_the_hubs_clock_not_the_kiosks(world, tmp_path):
    config = world.kiosk(tmp_path / "kiosk")
    world.enroll(config)
    assert first_sync(world, config).ok
    for record in rows(world, db.records):
        assert record.time_source == "boot"
        assert abs((db.utcnow() - record.placed_at.replace(tzinfo=db.UTC)).total_seconds()) < 120
