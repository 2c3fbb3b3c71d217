"""The print worker: prints queue and spool jobs; waits and retries when the printer is away."""

from __future__ import annotations

import time

import pytest

from kiosk.errors import PrinterUnavailable
from kiosk.printer.backends import PAPER_OUT, DummyBackend
from kiosk.printer.spool import Job, Spool
from kiosk.printer.worker import MISSING, NO_PAPER, READY, PrintWorker
from kiosk.status import read_status
from tests.escpos_decode import decode


class FlakyPrinter(DummyBackend):
    """A printer that is unplugged (raises) until ``plugged`` is set, like a real one."""

    kind = "flaky"

    def __init__(self):
        super().__init__()
        self.plugged = False
        self.paper_out = False
        self.attempts = 0
        self.closed = 0

    def write(self, data, name="slip", preview=""):
        self.attempts += 1
        if not self.plugged:
            raise PrinterUnavailable(
                "USB printer 0416:5011: not found (unplugged or switched off?)"
            )
        super().write(data, name, preview)

    def paper(self):
        return PAPER_OUT if self.paper_out else "ok"

    def close(self):
        self.closed += 1


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def parts(config, bundled_catalog):
    printer, clock, states = FlakyPrinter(), Clock(), []
    spool = Spool(config.state_path / "spool")
    worker = PrintWorker(
        config, printer, lambda: bundled_catalog, spool, on_state=states.append, clock=clock
    )
    return worker, printer, spool, clock, states


def test_a_queued_job_prints_a_checklist(parts, bundled_catalog):
    worker, printer, spool, clock, states = parts
    printer.plugged = True
    assert worker.submit(Job(kind="service", service="kia", source="button:17"))
    assert worker.step(wait=0)
    [data] = printer.jobs
    decoded = decode(data)
    assert decoded.lines[1].text == bundled_catalog.service("kia").name
    assert decoded.cut_at_end
    assert states == ["printing", "ready"]
    assert spool.pending() == []


def test_queue_is_small_and_never_blocks(parts):
    worker = parts[0]
    assert [worker.submit(Job(kind="index")) for _ in range(5)] == [True, True, True, False, False]


def test_unplugged_printer_keeps_the_job_and_retries_when_it_returns(parts, config):
    worker, printer, spool, clock, states = parts
    worker.submit(Job(kind="service", service="skck", source="button:17"))
    assert not worker.step(wait=0)
    # The job is safe on disk and the status says what is wrong, in plain words.
    assert len(spool.pending()) == 1
    status = read_status(config, "printer")
    assert status["ok"] is False
    assert status["details"]["state"] == MISSING
    assert status["details"]["queued"] == 1
    assert "not found (unplugged or switched off?)" in status["details"]["last_error"]
    assert status["summary"].startswith(
        "Printer not reachable: check its cable and power. 1 slip waiting"
    )
    assert states[-1] == MISSING and printer.closed >= 1

    # Back-off: no new attempt before the retry time, even with new presses.
    worker.submit(Job(kind="index", source="button:17"))
    assert not worker.step(wait=0)
    assert printer.attempts == 1
    assert len(spool.pending()) == 2  # the new press waits on disk too

    clock.now += 1.5
    assert not worker.step(wait=0)  # still unplugged: second try, longer back-off
    assert printer.attempts == 2
    clock.now += 1.5
    assert not worker.step(wait=0)
    assert printer.attempts == 2  # back-off doubled to 2 s

    printer.plugged = True
    clock.now += 1.0
    assert worker.step(wait=0) and worker.step(wait=0)
    assert [decode(d).lines[1].text for d in printer.jobs] == [
        "SKCK (Surat Keterangan Catatan",
        "Daftar layanan",
    ]
    assert spool.pending() == []
    status = read_status(config, "printer")
    assert status["ok"] is True and status["details"]["state"] == READY
    assert status["details"]["last_error"] == "none"


def test_out_of_paper_waits(parts, config):
    worker, printer, spool, clock, states = parts
    printer.plugged, printer.paper_out = True, True
    worker.submit(Job(kind="index"))
    assert not worker.step(wait=0)
    assert states[-1] == NO_PAPER
    assert read_status(config, "printer")["summary"].startswith(
        "Printer is out of paper: load a new roll."
    )
    printer.paper_out = False
    clock.now += 2
    assert worker.step(wait=0)


def test_spool_jobs_from_the_web_print(parts):
    worker, printer, spool, clock, states = parts
    printer.plugged = True
    spool.add(Job(kind="service", service="legalisasi", source="web"))
    assert worker.step(wait=0)
    assert len(printer.jobs) == 1 and spool.pending() == []


def test_malformed_and_unknown_jobs_are_moved_aside_not_retried(parts):
    worker, printer, spool, clock, states = parts
    printer.plugged = True
    spool.folder.mkdir(parents=True, exist_ok=True)
    (spool.folder / "0001-web-aaaa.json").write_text("{not json")
    spool.add(Job(kind="service", service="tidak-ada", source="web"))
    for _ in range(4):
        worker.step(wait=0)
    assert printer.jobs == [] and spool.pending() == []
    reasons = sorted(p.read_text() for p in spool.rejected.glob("*.reason"))
    assert reasons[0].startswith("not valid JSON")
    assert reasons[1].startswith("unknown service 'tidak-ada'")


def test_worker_thread_survives_a_bug_in_a_job(config, bundled_catalog):
    calls = []

    def broken_catalog():
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("boom")
        return bundled_catalog

    printer = FlakyPrinter()
    printer.plugged = True
    worker = PrintWorker(config, printer, broken_catalog, Spool(config.state_path / "spool"))
    worker.submit(Job(kind="index"))
    worker.submit(Job(kind="index"))
    worker._stop.wait = lambda timeout=None: worker._stop.is_set()  # no 1 s pause in the test
    worker.start()
    try:
        for _ in range(200):
            if printer.jobs:
                break
            time.sleep(0.01)
    finally:
        worker.stop()
    assert len(printer.jobs) == 1
