"""The complaints inbox: order, status moves with history and audit, who sees contacts,
and the scheduled deletion of contacts."""

from __future__ import annotations

import json
import random
from datetime import timedelta

import pytest
import sqlalchemy as sa

from kiosk.hub import complaint_flow, complaint_store
from kiosk.hub.console_tables import audit_log
from kiosk.hub.simulate import Sim

from .console_helpers import CONFIG, NOW, add_users, csrf_of, login


@pytest.fixture
def app(make_hub_app):
    app = make_hub_app(**CONFIG)
    add_users(app.extensions["hub_db"])
    sim = Sim(app.extensions["hub_db"], random.Random(1))
    sim.kiosks([("betro", "Betro")], at=NOW - timedelta(days=40))
    sim.complaint(
        "betro",
        "OLDD-0001",
        NOW - timedelta(days=20),
        contact_name="Sri",
        contact_phone="081234567890",
        consent=True,
    )
    sim.complaint(
        "betro",
        "NEWW-0002",
        NOW - timedelta(hours=2),
        contact_name=None,
        contact_phone=None,
        consent=False,
    )
    sim.complaint(
        "betro",
        "MIDD-0003",
        NOW - timedelta(days=1),
        status="diverifikasi",
        contact_name="Joko",
        contact_phone="0856",
        consent=True,
    )
    sim.complaint(
        "betro",
        "DONE-0004",
        NOW - timedelta(days=30),
        status="selesai",
        status_changed_at=NOW - timedelta(days=29),
        contact_name="Rina",
        contact_phone="0813",
        consent=True,
    )
    return app


def client_for(app, name):
    client = app.test_client()
    login(client, name)
    return client


def test_inbox_puts_overdue_then_new_first_and_hides_closed(app):
    html = client_for(app, "budi").get("/pengaduan").get_data(as_text=True)
    order = [html.index(t) for t in ("OLDD-0001", "NEWW-0002", "MIDD-0003")]
    assert order == sorted(order)
    assert "DONE-0004" not in html
    assert "<b>1</b> lewat batas waktu" in html
    assert "DONE-0004" in client_for(app, "budi").get("/pengaduan?tampil=semua").get_data(True)


def test_status_change_answer_and_lapor_id_with_history_and_audit(app):
    client = client_for(app, "budi")
    page = client.get("/pengaduan/OLDD-0001").get_data(as_text=True)
    assert "Sri · 081234567890" in page
    response = client.post(
        "/pengaduan/OLDD-0001",
        data={
            "status": "diteruskan",
            "jawaban": "Sudah kami teruskan ke Dispendukcapil.",
            "lapor": "LAPOR-123",
            "catatan": "via telepon",
            "csrf_token": csrf_of(page),
        },
    )
    assert response.status_code == 303
    page = client.get("/pengaduan/OLDD-0001").get_data(as_text=True)
    assert "Status pengaduan OLDD-0001 diubah menjadi Diteruskan." in page
    assert "LAPOR-123" in page and "Sudah kami teruskan ke Dispendukcapil." in page
    assert "Diterima → Diteruskan oleh budi — via telepon" in page
    back = client.post(
        "/pengaduan/OLDD-0001", data={"status": "diverifikasi", "csrf_token": csrf_of(page)}
    )
    assert back.status_code == 303
    page = client.get("/pengaduan/OLDD-0001").get_data(as_text=True)
    assert "Status tidak dapat diubah dari Diteruskan ke Diverifikasi." in page
    with app.extensions["hub_db"].connect() as conn:
        row = complaint_store.get(conn, "OLDD-0001")
        actions = conn.execute(sa.select(audit_log.c.user_name, audit_log.c.action)).all()
    assert row.status == "diteruskan" and row.lapor_id == "LAPOR-123"
    assert ("budi", "complaint.update") in actions


def test_contact_is_only_for_handling_roles(app):
    camat = client_for(app, "camat")
    page = camat.get("/pengaduan/OLDD-0001").get_data(as_text=True)
    assert "081234567890" not in page and "Sri" not in page
    assert "Tindak lanjut" not in page  # pimpinan reads, does not act
    denied = camat.post(
        "/pengaduan/OLDD-0001", data={"status": "selesai", "csrf_token": csrf_of(page)}
    )
    assert denied.status_code == 403
    with app.extensions["hub_db"].connect() as conn:
        assert complaint_store.get(conn, "OLDD-0001").status == "diterima"


def test_contacts_are_deleted_after_the_retention_time(app):
    engine = app.extensions["hub_db"]
    assert complaint_store.purge_contacts(engine, now=NOW, retention_days=30) == []
    assert complaint_store.purge_contacts(engine, now=NOW, retention_days=29) == ["DONE-0004"]
    with engine.connect() as conn:
        done = complaint_store.get(conn, "DONE-0004")
        open_one = complaint_store.get(conn, "OLDD-0001")
    assert (done.contact_name, done.contact_phone) == (None, None)
    assert done.contact_purged_at is not None
    assert open_one.contact_phone == "081234567890"  # still being handled
    page = client_for(app, "budi").get("/pengaduan/DONE-0004").get_data(as_text=True)
    assert "Sudah dihapus" in page


def test_the_console_and_the_kiosks_know_the_same_seven_statuses():
    from kiosk.hub import complaint_flow
    from kiosk.voice.statuses import STAGES

    assert complaint_flow.STATUSES == STAGES


def test_counts_by_state(app):
    with app.extensions["hub_db"].connect() as conn:
        counts = complaint_store.counts_by_state(conn, now=NOW, deadline_days=5)
    assert counts == {"terbuka": 3, "terlambat": 1, "baru": 2}


def test_hub_maintenance_purges_at_start_and_again_a_day_later(app):
    from kiosk.hub.console.maintenance import Maintenance

    engine = app.extensions["hub_db"]
    clock = [NOW]
    jobs = Maintenance(engine, now=lambda: clock[0], tick=3600)
    jobs.start()  # at start: DONE-0004 was closed 29 days ago, kept 30 days
    try:
        with engine.connect() as conn:
            assert complaint_store.get(conn, "DONE-0004").contact_phone == "0813"
        clock[0] = NOW + timedelta(days=1, minutes=1)
        jobs.run_due()  # what the thread does every tick
        with engine.connect() as conn:
            assert complaint_store.get(conn, "DONE-0004").contact_phone is None
    finally:
        jobs.stop()


def test_terbitkan_ke_kios_signs_statuses_and_answers_for_the_kiosks(make_hub_app, tmp_path):
    from kiosk.hub.repo import Hub
    from kiosk.hub.statuses import ROLE, enable_statuses
    from kiosk.voice.statuses import TARGET_NAME, parse_statuses, ticket_key

    hub_dir = tmp_path / "hub-with-keys"
    hub = Hub(hub_dir)
    hub.init(root_keys=1, root_threshold=1)
    enable_statuses(hub)
    app = make_hub_app(hub_dir, **CONFIG)
    engine = app.extensions["hub_db"]
    add_users(engine)
    sim = Sim(engine, random.Random(2))
    sim.kiosks([("betro", "Betro")], at=NOW)
    sim.complaint(
        "betro", "ABCD-EFGH", NOW - timedelta(days=1), contact_name="Sri", contact_phone="0812"
    )
    client = client_for(app, "budi")
    page = client.get("/pengaduan/ABCD-EFGH").get_data(as_text=True)
    client.post(
        "/pengaduan/ABCD-EFGH",
        data={
            "status": "ditindaklanjuti",
            "jawaban": "Petugas datang Senin.",
            "csrf_token": csrf_of(page),
        },
    )
    page = client.get("/pengaduan").get_data(as_text=True)
    response = client.post("/pengaduan/terbitkan", data={"csrf_token": csrf_of(page)})
    assert response.status_code == 303
    version = hub._versions(ROLE)[-1]  # the empty role of enable_statuses was version 1
    assert version == 2
    assert f"diterbitkan ke kios (versi {version})" in client.get("/pengaduan").get_data(
        as_text=True
    )
    published = sorted(hub.targets_dir.glob(f"*.{TARGET_NAME}"))
    assert len(published) == 1
    document = published[0].read_bytes()
    assert b"Sri" not in document and b"0812" not in document  # no contact leaves
    tickets = parse_statuses(document)
    entry = tickets[ticket_key("ABCD-EFGH")]
    assert entry["answer"] == "Petugas datang Senin."
    assert entry["status"] == "ditindaklanjuti"  # as this kiosk shows it
    raw = json.loads(document)["tickets"][ticket_key("ABCD-EFGH")]
    assert raw["status"] == "diproses"  # what a kiosk that knows only five shows


def test_each_of_the_seven_statuses_is_published_as_it_is_with_a_fallback(make_hub_app, tmp_path):
    from kiosk.hub.repo import Hub
    from kiosk.hub.statuses import enable_statuses
    from kiosk.voice.statuses import FALLBACK, STATUSES, TARGET_NAME, parse_statuses, ticket_key

    hub = Hub(tmp_path / "hub-seven")
    hub.init(root_keys=1, root_threshold=1)
    enable_statuses(hub)
    app = make_hub_app(hub.path, **CONFIG)
    engine = app.extensions["hub_db"]
    add_users(engine)
    sim = Sim(engine, random.Random(7))
    sim.kiosks([("betro", "Betro")], at=NOW)
    tickets = {status: f"SEVN-000{n}" for n, status in enumerate(complaint_flow.STATUSES)}
    client = client_for(app, "budi")
    for status, ticket in tickets.items():
        sim.complaint("betro", ticket, NOW - timedelta(hours=1), contact_name=None)
        if status == "diterima":
            continue  # where every complaint starts
        page = client.get(f"/pengaduan/{ticket}").get_data(as_text=True)
        answer = f"Jawaban untuk {status}."
        client.post(
            f"/pengaduan/{ticket}",
            data={"status": status, "jawaban": answer, "csrf_token": csrf_of(page)},
        )
        with engine.connect() as conn:
            assert complaint_store.get(conn, ticket).status == status
    page = client.get("/pengaduan").get_data(as_text=True)
    assert (
        client.post("/pengaduan/terbitkan", data={"csrf_token": csrf_of(page)}).status_code == 303
    )
    [target] = hub.targets_dir.glob(f"*.{TARGET_NAME}")
    shown = parse_statuses(target.read_bytes())  # what this kiosk shows
    raw = json.loads(target.read_bytes())["tickets"]  # what a five-status kiosk reads
    for status, ticket in tickets.items():
        key = ticket_key(ticket)
        assert shown[key]["status"] == status
        assert raw[key]["status"] == FALLBACK.get(status, status) and raw[key]["status"] in STATUSES
        if status != "diterima":
            assert shown[key]["answer"] == f"Jawaban untuk {status}."
