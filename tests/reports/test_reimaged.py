"""A re-imaged kiosk (new SD card: new state folder, new key, enrolled again under the
same village) starts its record ids at 1 again: the hub stores those records, and
replaying what the old card sent still stores nothing twice."""

from __future__ import annotations

import sqlalchemy as sa

from kiosk.hub import db
from kiosk.hub.ingest import Ingestor
from kiosk.outbox import Outbox
from kiosk.reports.hubkey import store_hub_key
from kiosk.reports.identity import load_identity
from kiosk.reports.run import run_reports

from .samples import sample
from .test_faults import bundle_of, post


def held(world) -> list[tuple[str, int, str]]:
    """(key fingerprint, record id, kind) of every record the hub holds."""
    table = db.records.c
    with world.engine.connect() as conn:
        rows = conn.execute(sa.select(table.kiosk_key, table.record_id, table.kind))
        return sorted(tuple(row) for row in rows)


def card(world, state, *, ticket: str):
    """A kiosk state folder as a fresh SD card leaves it, enrolled, with two records."""
    config = world.kiosk(state)
    store_hub_key(config.state_path, world.keys.public.to_json())
    world.enroll(config)
    outbox = Outbox.for_config(config)
    outbox.append("complaint", sample("complaint", ticket=ticket), priority=True)
    outbox.append("survey", sample("survey"))
    return config, outbox, load_identity(config.state_path, "kemlagi").fingerprint


def test_a_reimaged_kiosk_starts_again_at_id_1_and_nothing_is_lost_or_doubled(world, tmp_path):
    old, old_outbox, old_key = card(world, tmp_path / "old-card", ticket="KML-AAAA-0001")
    old_bundle = bundle_of(old).data  # what the old card sends, kept for a replay
    assert run_reports(old).ok and old_outbox.stats()["records"] == 0
    before = held(world)
    assert [row[1] for row in before] == [1, 2, 3]  # complaint, survey, health
    # The SD card dies; a new one is put in and the kiosk is enrolled again.
    new, new_outbox, new_key = card(world, tmp_path / "new-card", ticket="KML-BBBB-0001")
    assert new_key != old_key
    result = run_reports(new)
    assert result.ok, result.summary
    assert new_outbox.stats()["records"] == 0
    after = held(world)
    assert [row for row in after if row[0] == new_key] == [
        (new_key, 1, "complaint"),
        (new_key, 2, "survey"),
        (new_key, 3, "health"),
    ]
    assert [row for row in after if row[0] == old_key] == before
    with world.engine.connect() as conn:
        tickets = set(conn.scalars(sa.select(db.complaints.c.ticket)))
    assert tickets == {"KML-AAAA-0001", "KML-BBBB-0001"}
    # The old card's bundle, replayed (a copy on a stick, a captured upload): nothing new.
    status, _ = post(world, old_bundle)
    assert held(world) == after
    assert status in (200, 403)  # the old key is no longer the kiosk's: refused or dups
    # The new card's records sent once more: duplicates, acknowledged, not stored again.
    new_outbox.append("feedback", sample("feedback"))
    replay = bundle_of(new).data
    first = Ingestor(world.engine, world.keys).ingest(replay, transport="usb")
    again = Ingestor(world.engine, world.keys).ingest(replay, transport="usb")
    assert (first.new, first.duplicates, again.new, again.duplicates) == (1, 0, 0, 1)
    assert len(held(world)) == len(after) + 1


def test_the_same_ids_from_the_same_key_stay_duplicates(world, tmp_path):
    config, outbox, key = card(world, tmp_path / "card", ticket="KML-CCCC-0001")
    data = bundle_of(config).data
    taker = Ingestor(world.engine, world.keys)
    first, second = taker.ingest(data, transport="usb"), taker.ingest(data, transport="http")
    assert (first.new, first.duplicates) == (2, 0)
    assert (second.new, second.duplicates) == (0, 2)
    assert held(world) == [(key, 1, "complaint"), (key, 2, "survey")]


def test_ingest_many_answers_each_bundle_in_order(world, tmp_path):
    """A stick's bundles: the next one is opened while one is stored; each gets its own
    answer, a bad one in the middle changes nothing for the others."""
    config, outbox, key = card(world, tmp_path / "card", ticket="KML-DDDD-0001")
    good = bundle_of(config).data
    taker = Ingestor(world.engine, world.keys)
    first, bad, again = taker.ingest_many([good, b"not a bundle", good], transport="usb")
    assert (first.ok, first.new, first.duplicates) == (True, 2, 0)
    assert (bad.ok, bad.status) == (False, 400)
    assert (again.ok, again.new, again.duplicates) == (True, 0, 2)
    assert held(world) == [(key, 1, "complaint"), (key, 2, "survey")]
