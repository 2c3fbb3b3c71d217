"""The outbox: durable, ordered, sealed for residents, bounded, freed only by the hub."""

from __future__ import annotations

import threading

import pytest
from nacl.public import SealedBox

from kiosk.errors import HubKeyMissing, OutboxFull, RecordInvalid
from kiosk.outbox import Outbox
from kiosk.reports.packing import unpack

from .keys import new_hub_keys
from .samples import counts, health, sample


@pytest.fixture
def hub_keys():
    return new_hub_keys()


@pytest.fixture
def outbox(tmp_path, hub_keys):
    hub_keys.give_to(tmp_path)
    return Outbox(tmp_path, max_bytes=64 * 1024)


def test_ids_are_ordered_and_survive_reopening(outbox, tmp_path):
    first = [outbox.append("health", health()) for _ in range(3)]
    again = Outbox(tmp_path).append("counts", counts())
    assert first == [1, 2, 3] and again == 4


def test_ids_are_never_reused_after_records_are_freed(outbox):
    ids = [outbox.append("health", health()) for _ in range(3)]
    assert outbox.acknowledge(ids) == 3
    assert outbox.stats() == {"records": 0, "bytes": 0, "priority": 0}
    assert outbox.append("health", health()) == 4


def test_resident_records_are_sealed_before_they_touch_the_disk(outbox, hub_keys, tmp_path):
    body = sample("complaint")
    record_id = outbox.append("complaint", body, priority=True)
    on_disk = b"".join(p.read_bytes() for p in (tmp_path / "reports").iterdir())
    assert b"081234567890" not in on_disk and b"Siti" not in on_disk
    (stored,) = outbox.pending()
    assert stored.id == record_id and stored.sealed and stored.priority
    assert unpack(SealedBox(hub_keys.seal_private).decrypt(stored.body)) == body


def test_resident_records_are_refused_until_the_hub_key_is_known(tmp_path):
    outbox = Outbox(tmp_path)
    with pytest.raises(HubKeyMissing, match="kiosk sync"):
        outbox.append("survey", sample("survey"))
    assert outbox.append("health", health()) == 1  # machine records wait unsealed
    assert outbox.stats()["records"] == 1


def test_a_bad_body_is_refused_and_nothing_is_written(outbox):
    with pytest.raises(RecordInvalid):
        outbox.append("feedback", {"service": "skck", "answer": "?", "note": None})
    assert outbox.stats()["records"] == 0


def test_priority_records_leave_first(outbox):
    outbox.append("health", health())
    urgent = outbox.append("complaint", sample("complaint"), priority=True)
    assert [r.id for r in outbox.pending()][0] == urgent


def test_when_full_counts_are_merged_first_then_residents_are_refused(tmp_path, hub_keys):
    hub_keys.give_to(tmp_path)
    outbox = Outbox(tmp_path)
    services = {f"layanan-{i}": {"view": i + 1} for i in range(8)}
    for hour in range(8, 20):
        outbox.append("counts", counts(f"2026-12-01T{hour:02}:00:00+07:00", **services))
    assert outbox.stats()["records"] == 12
    outbox.max_bytes = outbox.stats()["bytes"] + 20  # now full: no survey fits as it is
    outbox.append("survey", sample("survey"))  # fits after merging the day's counts
    kinds = [r.kind for r in outbox.pending()]
    assert kinds.count("counts") == 1 and kinds.count("survey") == 1
    (day,) = [unpack(r.body) for r in outbox.pending() if r.kind == "counts"]
    assert day["compacted"] == "day" and day["services"]["layanan-0"]["view"] == 12
    assert day["portal_opens"] == 3 * 12
    with pytest.raises(OutboxFull, match="full"):
        for _ in range(100):
            outbox.append("survey", sample("survey"))
    assert outbox.stats()["bytes"] <= outbox.max_bytes


def test_counts_that_already_left_are_never_merged(outbox):
    a = outbox.append("counts", counts("2026-12-01T08:00:00+07:00"))
    outbox.mark_sent([a])
    outbox.append("counts", counts("2026-12-01T09:00:00+07:00"))
    outbox.append("counts", counts("2026-12-01T10:00:00+07:00"))
    assert outbox.compact() == 1
    assert [r.id for r in outbox.pending()] == [a, a + 1]


def test_id_floor_from_the_hub_is_respected(outbox):
    outbox.raise_id_floor(500)
    assert outbox.append("health", health()) == 500
    outbox.raise_id_floor(10)  # never backwards
    assert outbox.append("health", health()) == 501


def test_appends_from_several_threads_get_distinct_ids(outbox):
    ids: list[int] = []
    lock = threading.Lock()

    def work():
        for _ in range(10):
            new = outbox.append("health", health())
            with lock:
                ids.append(new)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(ids) == list(range(1, 41))
    assert outbox.stats()["records"] == 40
