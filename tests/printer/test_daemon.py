"""`kiosk printer`: mock pins + the folder printer, as on the hall's Pi without the hardware."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.config import load_config
from kiosk.printer.daemon import PrinterDaemon
from kiosk.printer.spool import Job, Spool
from kiosk.status import read_status
from tests.conftest import wait_for
from tests.escpos_decode import decode


@pytest.fixture
def hall(tmp_path, mock_pins):
    config = load_config(
        env={},
        overrides={
            "state_dir": str(tmp_path / "state"),
            "buttons": [{"pin": 17, "service": "ktp-el-baru"}],
            "led_pin": 4,
        },
    )
    daemon = PrinterDaemon(config, pin_factory=mock_pins, hold_seconds=0.3)
    daemon.start()
    try:
        yield daemon, mock_pins, config.state_path / "slips"
    finally:
        daemon.stop()


def slips(folder):
    return sorted(folder.glob("*.bin")) if folder.is_dir() else []


def test_press_prints_the_mapped_service(hall, bundled_catalog):
    daemon, pins, folder = hall
    pins.pin(17).drive_low()
    pins.pin(17).drive_high()
    assert wait_for(lambda: len(slips(folder)) == 1)
    decoded = decode(slips(folder)[0].read_bytes())
    assert decoded.lines[1].text == "KTP-el Baru"
    assert "[ ] Kartu Keluarga (KK) (asli)" in decoded.text
    assert decoded.cut_at_end
    assert slips(folder)[0].with_suffix(".txt").read_text().count("[ ] ") == 1
    assert wait_for(lambda: daemon.led.led.is_lit)  # back to steady: ready


def test_long_press_prints_the_index(hall):
    daemon, pins, folder = hall
    pins.pin(17).drive_low()
    time.sleep(0.5)
    pins.pin(17).drive_high()
    assert wait_for(lambda: len(slips(folder)) == 1)
    time.sleep(0.2)
    [only] = slips(folder)
    assert decode(only.read_bytes()).lines[1].text == "Daftar layanan"


def test_twenty_presses_in_two_seconds_print_one_slip(hall):
    daemon, pins, folder = hall
    for _ in range(20):
        pins.pin(17).drive_low()
        time.sleep(0.05)
        pins.pin(17).drive_high()
        time.sleep(0.05)
    assert wait_for(lambda: len(slips(folder)) >= 1)
    time.sleep(0.3)
    assert len(slips(folder)) == 1


def test_without_gpio_the_daemon_still_prints_site_jobs(tmp_path, caplog):
    from gpiozero.exc import BadPinFactory

    class NoPins:
        def __getattr__(self, name):
            raise BadPinFactory("Unable to load any default pin factory!")

    config = load_config(
        env={},
        overrides={
            "state_dir": str(tmp_path),
            "printer": {"type": "dummy"},
            "buttons": [{"pin": 17, "service": "kia"}],
            "led_pin": 4,
        },
    )
    daemon = PrinterDaemon(config, pin_factory=NoPins())
    assert daemon.panel is None and daemon.led is None
    assert "No GPIO pins" in caplog.text and "GPIOZERO_PIN_FACTORY=mock" in caplog.text
    daemon.spool.add(Job(kind="service", service="kia", source="web"))
    daemon.start()
    try:
        assert wait_for(lambda: len(daemon.backend.jobs) == 1)
    finally:
        daemon.stop()


@pytest.mark.slow
def test_kiosk_printer_process_prints_spool_jobs_and_stops_cleanly(tmp_path):
    state = tmp_path / "state"
    config_file = tmp_path / "kiosk.toml"
    config_file.write_text(
        f'state_dir = "{state}"\nled_pin = 4\n[[buttons]]\npin = 17\nservice = "kia"\n'
    )
    Spool(state / "spool").add(Job(kind="service", service="sktm", source="web"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "kiosk"),
            "printer",
            "--config",
            str(config_file),
            "--mock-pins",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert wait_for(lambda: len(slips(state / "slips")) == 1, 20)
        hall = load_config(env={}, overrides={"state_dir": str(state)})

        def printed_and_ready():
            status = read_status(hall, "printer") or {}
            return status.get("ok") and status["details"]["queued"] == 0

        assert wait_for(printed_and_ready)
    finally:
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=10)
    assert proc.returncode == 0, output
    assert "Pelita Kiosk printer: folder" in output
    stopped = read_status(load_config(env={}, overrides={"state_dir": str(state)}), "printer")
    assert stopped["details"]["state"] == "stopped" and stopped["ok"] is False
