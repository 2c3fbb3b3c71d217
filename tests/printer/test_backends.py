"""Printer backends from the ``printer`` setting: real files, sockets and FIFOs, never hanging."""

from __future__ import annotations

import os
import socket
import threading
import time

import pytest

from kiosk.config import load_config
from kiosk.errors import ConfigError, PrinterUnavailable
from kiosk.printer.backends import (
    DeviceFileBackend,
    DummyBackend,
    EscposBackend,
    FolderBackend,
    make_backend,
)


def backend_for(tmp_path, **printer):
    config = load_config(env={}, overrides={"state_dir": str(tmp_path), "printer": printer})
    return make_backend(config)


def test_folder_is_the_default_and_writes_bytes_and_preview(tmp_path):
    backend = backend_for(tmp_path, type="folder")
    assert isinstance(backend, FolderBackend) and backend.folder == tmp_path / "slips"
    backend.write(b"\x1b@hello\n", name="kia", preview="hello")
    [path] = backend.written
    assert path.read_bytes() == b"\x1b@hello\n"
    assert path.with_suffix(".txt").read_text() == "hello\n"
    assert path.name.endswith("-kia.bin")


def test_folder_that_cannot_be_written_is_unavailable(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(PrinterUnavailable, match="cannot write to folder"):
        FolderBackend(tmp_path / "file" / "slips").write(b"x")


def test_dummy_from_env_shorthand(tmp_path):
    config = load_config(env={"KIOSK_PRINTER": "dummy", "KIOSK_STATE_DIR": str(tmp_path)})
    assert isinstance(make_backend(config), DummyBackend)


@pytest.mark.parametrize(
    ("printer", "message"),
    [
        ({"type": "laser"}, "unknown type 'laser'"),
        ({"type": "usb", "vendor": 0x0416}, "'product' is required"),
        ({"type": "usb", "vendor": "pos58", "product": 1}, "must be a number like 0x0416"),
        ({"type": "usb", "vendor": 1, "product": 2, "vid": 3}, "unknown option(s) vid"),
        ({"type": "network"}, "'host' is required"),
        ({"type": "file", "timeout": 0}, "timeout must be a positive number"),
        ({"type": "folder", "profile": "POS-9999"}, "unknown profile 'POS-9999'"),
        ({"type": "folder", "native_qr": "yes"}, "native_qr must be true or false"),
    ],
)
def test_bad_printer_settings_say_what_to_fix(tmp_path, printer, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        backend_for(tmp_path, **printer)


def test_usb_settings_are_keywords_and_hex_strings(tmp_path):
    backend = backend_for(
        tmp_path, type="usb", vendor="0x0416", product=0x5011, out_ep=3, profile="POS-5890"
    )
    assert isinstance(backend, EscposBackend)
    assert backend.describe() == "USB printer 0416:5011"
    assert backend.profile == "POS-5890"
    made = backend._make()
    assert made.usb_args == {"idVendor": 0x0416, "idProduct": 0x5011}
    assert (made.in_ep, made.out_ep, made.timeout) == (0x82, 3, 10000)  # pyusb milliseconds


def test_missing_usb_printer_is_unavailable_not_a_crash(tmp_path):
    backend = backend_for(tmp_path, type="usb", vendor=0xFFFE, product=0xFFFD, timeout=1)
    with pytest.raises(PrinterUnavailable, match="USB printer fffe:fffd"):
        backend.write(b"hello")


def test_missing_serial_printer_is_unavailable(tmp_path):
    backend = backend_for(tmp_path, type="serial", device=str(tmp_path / "ttyUSB9"), timeout=1)
    with pytest.raises(PrinterUnavailable, match="serial printer"):
        backend.write(b"hello")


def test_network_printer_gets_the_bytes_and_the_socket_is_closed(tmp_path):
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    received = []

    def accept():
        conn, _ = server.accept()
        with conn:
            chunks = []
            while data := conn.recv(65536):
                chunks.append(data)
            received.append(b"".join(chunks))

    thread = threading.Thread(target=accept)
    thread.start()
    backend = backend_for(tmp_path, type="network", host=f"127.0.0.1:{port}", timeout=2)
    payload = b"\x1b@" + b"x" * 10000 + b"\x1dVB\x00"
    backend.write(payload)
    thread.join(5)
    server.close()
    assert received == [payload]  # whole, and ended: the socket was closed after the job


def test_network_printer_that_is_off_is_unavailable(tmp_path):
    from tests.conftest import free_port

    backend = backend_for(tmp_path, type="network", host="127.0.0.1", port=free_port(), timeout=1)
    with pytest.raises(PrinterUnavailable, match="network printer 127.0.0.1"):
        backend.write(b"hello")


def test_device_file_writes_bytes(tmp_path):
    device = tmp_path / "lp0"
    device.write_bytes(b"")
    DeviceFileBackend(str(device)).write(b"\x1b@slip")
    assert device.read_bytes() == b"\x1b@slip"


def test_device_file_missing(tmp_path):
    with pytest.raises(PrinterUnavailable, match="does not exist"):
        DeviceFileBackend(str(tmp_path / "lp0")).write(b"x")


def test_device_file_that_stops_taking_bytes_times_out(tmp_path):
    """A printer out of paper stops reading; the write gives up instead of hanging."""
    fifo = tmp_path / "lp0"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # present but never reads
    try:
        start = time.monotonic()
        with pytest.raises(PrinterUnavailable, match="took more than 0.3 s"):
            DeviceFileBackend(str(fifo), timeout=0.3).write(b"x" * 1_000_000)
        assert time.monotonic() - start < 2
    finally:
        os.close(reader)


def test_device_file_with_no_reader_is_unavailable(tmp_path):
    fifo = tmp_path / "lp0"
    os.mkfifo(fifo)
    with pytest.raises(PrinterUnavailable, match="cannot open"):
        DeviceFileBackend(str(fifo), timeout=0.3).write(b"x")


def test_escpos_backend_reopens_after_a_failure():
    """Unplug mid-job: the object is dropped, the next job builds and opens a new one."""
    made = []

    class FakeTransport:
        def __init__(self, fail):
            self.fail, self.sent, self.closed = fail, [], False

        def open(self, raise_not_found=True):
            pass

        def _raw(self, data):
            if self.fail:
                raise OSError(5, "Input/output error")
            self.sent.append(data)

        def close(self):
            self.closed = True

    def make():
        made.append(FakeTransport(fail=len(made) == 0))
        return made[-1]

    backend = EscposBackend("usb", make, "USB printer test")
    with pytest.raises(PrinterUnavailable, match="Input/output error"):
        backend.write(b"abc")
    assert made[0].closed
    backend.write(b"abc")
    assert made[1].sent == [b"abc"] and len(made) == 2


@pytest.mark.parametrize(
    ("reply", "expected"),
    [(b"\x12", "ok"), (b"\x72", "out"), (b"\x1e", "ok"), (b"", "unknown"), (b"\xff", "unknown")],
)
def test_paper_status_replies_are_checked(reply, expected):
    class Transport:
        def open(self, raise_not_found=True):
            pass

        def query_status(self, mode):
            assert mode == b"\x10\x04\x04"
            return reply

        def close(self):
            pass

    assert EscposBackend("usb", Transport, "USB").paper() == expected
