"""What a clumsy technician and a failing SD card do to the printer daemon.

Each fault from issue 12 is a test: the roll is never reprinted, nothing is reported
printed that was not, the log stays bounded, and the status says what is wrong.
"""

from __future__ import annotations

import errno
import logging
import os
import socket
import threading

import pytest

from kiosk.errors import PaperOut, PrinterOffline, PrinterUnavailable
from kiosk.printer.backends import DummyBackend, NetworkBackend, _unavailable
from kiosk.printer.spool import Job, Spool
from kiosk.printer.worker import MISSING, NO_PAPER, READY, SPOOL_ERROR, PrintWorker
from kiosk.status import read_status

STEPS = 200  # far more rounds than any fault needs to show a loop


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def make_worker(config, catalog, spool, backend=None):
    clock = Clock()
    backend = backend or DummyBackend()
    worker = PrintWorker(config, backend, lambda: catalog, spool, clock=clock)
    return worker, backend, clock


def run_steps(worker, clock, steps=STEPS, seconds_each=1.0):
    """Many rounds, with time passing (so every back-off runs out again and again)."""
    for _ in range(steps):
        worker.step(wait=0)
        clock.now += seconds_each


class ReadOnlySpool(Spool):
    """A spool on an SD card the kernel remounted read-only: reading works, every
    change fails with EROFS (root ignores file modes, so the disk is simulated here)."""

    def __init__(self, folder, after_claims: int = 0):
        super().__init__(folder)
        self.claims_left = after_claims

    def _refuse(self, *_args):
        raise OSError(errno.EROFS, "Read-only file system")

    add = done = release = reject = _refuse

    def claim(self, job):
        if self.claims_left <= 0:
            self._refuse()
        self.claims_left -= 1
        return super().claim(job)


def test_a_read_only_spool_never_reprints_the_roll_away(config, bundled_catalog, caplog):
    folder = config.state_path / "spool"
    Spool(folder).add(Job(kind="service", service="kia", source="web"))
    worker, printer, clock = make_worker(config, bundled_catalog, ReadOnlySpool(folder))
    with caplog.at_level(logging.INFO):
        run_steps(worker, clock)
    assert printer.jobs == []  # not even once: it cannot be marked as printing
    assert worker.state == SPOOL_ERROR
    status = read_status(config, "printer")
    assert not status["ok"] and "Read-only file system" in status["summary"]
    assert len(caplog.records) <= 3


def test_a_spool_that_turns_read_only_after_printing_prints_once(config, bundled_catalog):
    folder = config.state_path / "spool"
    Spool(folder).add(Job(kind="service", service="kia", source="web"))
    worker, printer, clock = make_worker(config, bundled_catalog, ReadOnlySpool(folder, 1))
    run_steps(worker, clock)
    assert len(printer.jobs) == 1
    assert worker.printed == 1


def test_a_job_cut_off_by_a_restart_is_set_aside_not_reprinted(config, bundled_catalog):
    spool = Spool(config.state_path / "spool")
    spool.claim(spool.add(Job(kind="service", service="kia", source="web")))
    worker, printer, clock = make_worker(config, bundled_catalog, spool)
    worker.recover()
    run_steps(worker, clock, steps=5)
    assert printer.jobs == []
    [reason] = spool.rejected.glob("*.reason")
    assert "stopped while printing" in reason.read_text()


def unreadable_job(spool: Spool):
    """A job file whose read fails with EIO, as on a dying SD card (as root, file modes
    cannot make a file unreadable; /proc/self/mem reads at offset 0 fail with EIO)."""
    spool.folder.mkdir(parents=True, exist_ok=True)
    path = spool.folder / "00000000000000000001-web-aaaaaa.json"
    os.symlink("/proc/self/mem", path)
    return path


def test_an_unreadable_job_is_set_aside_once_and_the_next_one_prints(
    config, bundled_catalog, caplog
):
    spool = Spool(config.state_path / "spool")
    bad = unreadable_job(spool)
    spool.add(Job(kind="service", service="kia", source="web"))
    worker, printer, clock = make_worker(config, bundled_catalog, spool)
    with caplog.at_level(logging.INFO):
        run_steps(worker, clock, steps=50)
    assert len(printer.jobs) == 1
    assert not bad.exists() and not os.path.lexists(bad)
    reason = (spool.rejected / bad.name).with_suffix(".reason").read_text()
    assert "cannot read it: Input/output error" in reason
    assert len(caplog.records) <= 4


def test_an_unreadable_job_that_cannot_be_moved_is_skipped_quietly(config, bundled_catalog, caplog):
    folder = config.state_path / "spool"
    unreadable_job(Spool(folder))
    worker, printer, clock = make_worker(config, bundled_catalog, ReadOnlySpool(folder))
    with caplog.at_level(logging.INFO):
        run_steps(worker, clock)
    assert printer.jobs == []
    assert len(caplog.records) <= 3  # once, not 20,000 lines a second


def test_a_spool_path_that_is_a_file_is_a_clear_error_in_status(config, bundled_catalog, caplog):
    config.state_path.mkdir(parents=True, exist_ok=True)
    (config.state_path / "spool").write_text("oops")
    worker, printer, clock = make_worker(
        config, bundled_catalog, Spool(config.state_path / "spool")
    )
    with caplog.at_level(logging.INFO):
        run_steps(worker, clock)
    status = read_status(config, "printer")
    assert not status["ok"] and status["details"]["state"] == SPOOL_ERROR
    assert "is not a folder" in status["summary"]
    assert len(caplog.records) <= 3
    (config.state_path / "spool").unlink()  # the technician fixes it
    run_steps(worker, clock, steps=40)
    assert worker.state == READY


class SilentPrinter:
    """A raw-port (9100) printer that accepts a connection and never reads from it."""

    def __init__(self, reads: bool = False):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.reads, self.received, self.conns = reads, bytearray(), []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        conn, _ = self.sock.accept()
        self.conns.append(conn)
        while self.reads and (chunk := conn.recv(65536)):
            self.received += chunk

    def close(self):
        for conn in self.conns:
            conn.close()
        self.sock.close()


@pytest.fixture
def silent_printer():
    printer = SilentPrinter()
    yield printer
    printer.close()


def test_a_network_printer_that_never_reads_is_not_a_printed_slip(
    config, bundled_catalog, silent_printer
):
    backend = NetworkBackend("127.0.0.1", silent_printer.port, timeout=1)
    spool = Spool(config.state_path / "spool")
    spool.add(Job(kind="service", service="kia", source="web"))
    worker, _, clock = make_worker(config, bundled_catalog, spool, backend)
    worker.step(wait=0)
    assert worker.printed == 0 and worker.state == MISSING
    assert "did not take the slip" in worker.last_error
    assert len(spool.pending()) == 1  # still waiting, not deleted


def test_a_network_printer_that_reads_gets_every_byte():
    printer = SilentPrinter(reads=True)
    try:
        data = bytes(range(256)) * 400
        NetworkBackend("127.0.0.1", printer.port, timeout=5).write(data)
        printer.thread.join(5)
        assert bytes(printer.received) == data
    finally:
        printer.close()


class TypedPrinter(DummyBackend):
    def __init__(self, error: PrinterUnavailable):
        super().__init__()
        self.error = error

    def write(self, data, name="slip", preview=""):
        raise self.error


@pytest.mark.parametrize(
    "error, state",
    [
        (PrinterOffline("USB printer: no answer in time (out of paper, cover open?)"), MISSING),
        (PaperOut("the printer says: load paper"), NO_PAPER),
        (PrinterUnavailable("USB printer: busy"), MISSING),
    ],
)
def test_the_state_comes_from_the_error_type_never_its_words(config, bundled_catalog, error, state):
    worker, _, _ = make_worker(config, bundled_catalog, Spool(config.state_path / "spool"))
    worker.backend = TypedPrinter(error)
    worker.submit(Job(kind="index"))
    worker.step(wait=0)
    assert worker.state == state


class USBTimeoutError(Exception):
    """Named like pyusb's: the type decides, whatever its message says."""


@pytest.mark.parametrize(
    "exc, kind",
    [
        (USBTimeoutError("[Errno 110] Operation timed out: out of paper?"), PrinterOffline),
        (TimeoutError("paper"), PrinterOffline),
        (OSError(errno.EBUSY, "Resource busy"), PrinterUnavailable),
        (ValueError("paper jam"), PrinterUnavailable),
    ],
)
def test_transport_errors_become_typed_errors(exc, kind):
    error = _unavailable("USB printer 0416:5011", exc)
    assert type(error) is kind
    assert not isinstance(error, PaperOut)
