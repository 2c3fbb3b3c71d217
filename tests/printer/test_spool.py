"""The spool folder: atomic jobs, damaged jobs moved aside, jobs survive restarts."""

from __future__ import annotations

import json
import os

import pytest

from kiosk.errors import SpoolJobInvalid
from kiosk.printer.spool import Job, Spool, parse_job


def test_add_writes_one_complete_file_and_no_temp_files(tmp_path):
    spool = Spool(tmp_path / "spool")
    job = spool.add(Job(kind="service", service="kia", source="web", created=1.5))
    assert job.path.parent == spool.folder
    assert os.listdir(spool.folder) == [job.path.name]
    assert json.loads(job.path.read_text()) == {
        "kind": "service",
        "service": "kia",
        "source": "web",
        "created": 1.5,
    }
    assert spool.load(job.path) == job


def test_a_ticket_job_keeps_its_code(tmp_path):
    spool = Spool(tmp_path / "spool")
    job = spool.add(Job(kind="ticket", ticket="ABCD-EFGH", source="web", created=2.0))
    assert json.loads(job.path.read_text())["ticket"] == "ABCD-EFGH"
    assert spool.load(job.path) == job


def test_pending_is_oldest_first_and_skips_half_written_files(tmp_path):
    spool = Spool(tmp_path)
    first = spool.add(Job(kind="index", source="button:17"))
    second = spool.add(Job(kind="service", service="kia", source="web"))
    # What a power cut in the middle of atomic_write_json leaves behind:
    (tmp_path / f".{second.path.name}.abc123.tmp").write_text('{"kind": "ser')
    assert spool.pending() == [first.path, second.path]
    assert spool.count() == 2


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'{"kind": "service", "serv', "not valid JSON"),
        (b"\xff\xfe", "not valid JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b'{"kind": "poster"}', "kind must be one of service, index, ticket, not 'poster'"),
        (b'{"kind": "ticket"}', "a ticket job needs a ticket code"),
        (b'{"kind": "service"}', "a service job needs a service id"),
        (b'{"kind": "index", "created": "yesterday"}', "source must be text and created a number"),
    ],
)
def test_damaged_jobs_say_what_is_wrong(data, reason):
    with pytest.raises(SpoolJobInvalid, match=reason):
        parse_job(data)


def test_reject_moves_the_job_aside_with_its_reason(tmp_path):
    spool = Spool(tmp_path)
    bad = tmp_path / "0001-web-x.json"
    bad.write_bytes(b"garbage")
    target = spool.reject(bad, "not valid JSON: Expecting value")
    assert not bad.exists() and spool.pending() == []
    assert target.read_bytes() == b"garbage"
    assert target.with_suffix(".reason").read_text() == "not valid JSON: Expecting value\n"


def test_done_removes_the_job(tmp_path):
    spool = Spool(tmp_path)
    job = spool.add(Job(kind="index"))
    spool.done(job)
    assert spool.pending() == []
    spool.done(job)  # twice is harmless


def test_jobs_survive_a_restart(tmp_path):
    Spool(tmp_path / "spool").add(Job(kind="service", service="skck", source="web"))
    again = Spool(tmp_path / "spool")  # a new process
    [path] = again.pending()
    assert again.load(path).service == "skck"
