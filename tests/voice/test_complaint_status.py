"""Complaint statuses come down signed (delegated TUF role); forged ones are refused."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from kiosk.config import load_config
from kiosk.hub.keys import generate_key
from kiosk.hub.repo import Hub
from kiosk.hub.statuses import (
    ROLE,
    TicketStatus,
    enable_statuses,
    publish_statuses,
    status_document,
)
from kiosk.status import read_status
from kiosk.sync.run import run_sync
from kiosk.voice.statuses import STAGES, TARGET_NAME, StatusStore, parse_statuses, ticket_key
from kiosk.voice.ticket import new_ticket

from ..conftest import CATALOG_DIR

TICKET = new_ticket()
OTHER = new_ticket()


@pytest.fixture(scope="module")
def hub(tmp_path_factory) -> Hub:
    base = tmp_path_factory.mktemp("statushub")
    hub = Hub(base / "hub", now=lambda: datetime(2026, 12, 1, 8, tzinfo=UTC))
    hub.init()
    hub.publish(CATALOG_DIR, published=date(2026, 11, 1))
    assert "delegated" in enable_statuses(hub)
    return hub


def kiosk(tmp_path: Path, hub: Hub):
    return load_config(
        env={},
        overrides={
            "state_dir": str(tmp_path / "kiosk"),
            "trust_root": str(hub.metadata_dir / "1.root.json"),
        },
    )


def stick(tmp_path: Path, hub: Hub, name: str = "stick") -> Path:
    """What a technician copies onto a USB stick: the public folder only."""
    folder = tmp_path / name
    shutil.copytree(hub.public, folder)
    return folder


def test_published_status_reaches_the_kiosk_by_stick(tmp_path, hub):
    answer = "Syarat KIA di kios sudah dibetulkan. Terima kasih."
    publish_statuses(
        hub,
        [
            TicketStatus(TICKET, "selesai", date(2026, 12, 1), answer),
            TicketStatus(OTHER, "diproses", date(2026, 11, 30)),
        ],
    )
    config = kiosk(tmp_path, hub)
    result = run_sync(config, str(stick(tmp_path, hub)))
    assert result.ok, result.summary
    assert "Complaint statuses updated (2 tickets)" in result.summary
    store = StatusStore(config)
    assert store.lookup(TICKET) == {"status": "selesai", "date": "2026-12-01", "answer": answer}
    assert store.lookup(OTHER)["status"] == "diproses"
    assert store.lookup(new_ticket()) is None


def test_the_file_holds_no_ticket_code(hub):
    data = status_document([TicketStatus(TICKET, "diterima", date(2026, 12, 1))], hub.now())
    assert TICKET.encode() not in data and TICKET.replace("-", "").encode() not in data
    assert ticket_key(TICKET).encode() in data


def _target_file(folder: Path) -> Path:
    [path] = sorted((folder / "targets").glob(f"*.{TARGET_NAME}"), key=lambda p: p.stat().st_mtime)[
        -1:
    ]
    return path


def test_forged_status_file_is_refused_and_the_last_good_kept(tmp_path, hub):
    publish_statuses(hub, [TicketStatus(TICKET, "diproses", date(2026, 12, 1))])
    config = kiosk(tmp_path, hub)
    assert run_sync(config, str(stick(tmp_path, hub, "first"))).ok
    publish_statuses(hub, [TicketStatus(TICKET, "selesai", date(2026, 12, 2), "Beres.")])
    forged_stick = stick(tmp_path, hub, "forged")
    target = _target_file(forged_stick)
    forged = json.loads(target.read_bytes())
    forged["tickets"][ticket_key(TICKET)]["answer"] = "Bayar!"  # same length: only the hash tells
    target.write_bytes(json.dumps(forged, sort_keys=True, separators=(",", ":")).encode())
    result = run_sync(config, str(forged_stick))
    assert result.ok  # the catalog is fine; only the statuses are refused
    assert "Complaint statuses refused, keeping the last good ones" in result.summary
    assert "does not match what the kecamatan signed" in result.summary
    assert StatusStore(config).lookup(TICKET)["status"] == "diproses"
    assert read_status(config, "complaints")["ok"] is False


def test_statuses_signed_by_another_key_are_refused(tmp_path, hub):
    from tuf.api.metadata import Metadata

    publish_statuses(hub, [TicketStatus(TICKET, "diproses", date(2026, 12, 1))])
    config = kiosk(tmp_path, hub)
    assert run_sync(config, str(stick(tmp_path, hub, "first"))).ok
    publish_statuses(hub, [TicketStatus(TICKET, "ditolak", date(2026, 12, 2))])
    forged_stick = stick(tmp_path, hub, "forged")
    [latest] = sorted((forged_stick / "metadata").glob(f"*.{ROLE}.json"))[-1:]
    role = Metadata.from_file(str(latest))
    role.sign(generate_key(tmp_path / "attacker.pem"))  # a key the hub never delegated to
    latest.write_bytes(role.to_bytes())
    result = run_sync(config, str(forged_stick))
    assert "Complaint statuses refused" in result.summary
    assert StatusStore(config).lookup(TICKET)["status"] == "diproses"


def test_bad_entries_are_refused_before_signing(hub):
    with pytest.raises(ValueError, match="unknown status"):
        status_document([TicketStatus(TICKET, "hilang", date(2026, 12, 1))], hub.now())


# What a kiosk from before the seven statuses checks (format 1, kiosk/voice/statuses.py
# as of b2e7f97): every entry's "status" is one of these five, or the whole file is refused.
FIVE = ("diterima", "diproses", "diteruskan", "selesai", "ditolak")


def test_all_seven_console_statuses_reach_this_kiosk_and_older_ones_get_five(tmp_path, hub):
    tickets = {stage: new_ticket() for stage in STAGES}
    publish_statuses(
        hub, [TicketStatus(t, stage, date(2026, 12, 1)) for stage, t in tickets.items()]
    )
    config = kiosk(tmp_path, hub)
    assert run_sync(config, str(stick(tmp_path, hub))).ok
    store = StatusStore(config)
    assert {stage: store.lookup(t)["status"] for stage, t in tickets.items()} == {
        stage: stage for stage in STAGES
    }
    raw = json.loads(_target_file(hub.public).read_bytes())
    assert raw["format"] == 1  # the same format: older kiosks do not refuse the file
    older = {stage: raw["tickets"][ticket_key(t)]["status"] for stage, t in tickets.items()}
    assert set(older.values()) <= set(FIVE)
    assert older == {
        "diterima": "diterima",
        "diverifikasi": "diproses",
        "diteruskan": "diteruskan",
        "ditindaklanjuti": "diproses",
        "selesai": "selesai",
        "ditolak": "ditolak",
        "bukan_wewenang": "ditolak",
    }


def test_a_stage_this_kiosk_does_not_know_falls_back_to_the_status():
    newer = {"status": "diproses", "stage": "dimediasi", "date": "2026-12-01", "answer": None}
    older_hub = {"status": "diproses", "date": "2026-12-01"}
    document = {"format": 1, "tickets": {"a": newer, "b": older_hub}}
    tickets = parse_statuses(json.dumps(document).encode())
    assert tickets["a"]["status"] == "diproses"
    assert tickets["b"] == {"status": "diproses", "date": "2026-12-01", "answer": None}
    with pytest.raises(ValueError, match="status must be one of"):
        parse_statuses(
            json.dumps({"format": 1, "tickets": {"c": {**newer, "status": "x"}}}).encode()
        )


def test_a_kiosk_syncing_before_the_first_publish_hears_of_no_statuses(tmp_path):
    fresh = Hub(tmp_path / "fresh")
    fresh.init(root_keys=1, root_threshold=1)
    enable_statuses(fresh)  # as 'kiosk hub init' does, before anything is published
    fresh.publish(CATALOG_DIR, published=date(2026, 11, 1))
    config = kiosk(tmp_path, fresh)
    result = run_sync(config, str(stick(tmp_path, fresh)))
    assert result.ok and "No complaint statuses published by the hub yet" in result.summary
    assert read_status(config, "complaints")["ok"] is True


def test_delegation_is_set_up_once(hub):
    assert "already delegated" in enable_statuses(hub)


def test_refresh_re_signs_the_statuses_before_they_expire(tmp_path, hub):
    from datetime import timedelta

    from kiosk.hub.statuses import ROLE_EXPIRY, refresh_statuses

    publish_statuses(hub, [TicketStatus(TICKET, "diproses", date(2026, 12, 1))])
    assert refresh_statuses(hub) is None  # fresh: nothing due
    version = hub._versions(ROLE)[-1]
    later = Hub(hub.path, now=lambda: hub.now() + ROLE_EXPIRY - timedelta(days=5))
    assert refresh_statuses(later) == f"re-signed complaint statuses (version {version + 1})"
    config = kiosk(tmp_path, hub)
    assert run_sync(config, str(stick(tmp_path, hub))).ok
    assert StatusStore(config).lookup(TICKET)["status"] == "diproses"
