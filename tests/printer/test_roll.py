"""Roll life: the daemon counts the paper it sends and says "kertas hampir habis" in time.

Real parts: the printer daemon with gpiozero MockFactory pins and the folder printer;
the count is checked against the slips' own bytes measured independently
(tests/escpos_decode.py), across a restart and with a roll change from the CLI and
from a long press.
"""

from __future__ import annotations

import json
import time

import pytest
from click.testing import CliRunner

from kiosk.cli import main
from kiosk.config import load_config
from kiosk.printer.daemon import PrinterDaemon
from kiosk.printer.roll import FILE_NAME, Roll
from kiosk.printer.worker import PAPER_LOW, READY
from kiosk.status import read_status
from tests.conftest import wait_for
from tests.escpos_decode import decode

MM_PER_DOT = 25.4 / 203


def slip_files(folder):
    return sorted(folder.glob("*.bin")) if folder.is_dir() else []


def decoded_mm(data: bytes) -> float:
    """The slip's length from the independent decoder: lines at the spacing the slip
    sets (ESC 3: 30 dots font A, 22 font B), images at their height, the final feed."""
    decoded = decode(data)
    dots = sum(22 if line.small else 30 for line in decoded.lines)
    dots += sum(image.height for image in decoded.images)
    dots += sum(e[1] * 30 for e in decoded.events if e[0] == "feed")
    return dots * MM_PER_DOT


@pytest.fixture
def hall_config(tmp_path):
    return load_config(
        env={},
        overrides={
            "state_dir": str(tmp_path / "state"),
            "buttons": [{"pin": 17, "service": "ktp-el-baru"}],
            "led_pin": 4,
            "button_cooldown_seconds": 0,
            "roll_length_m": 1,  # a 1 m roll: a few slips use it up
            "paper_low_mm": 600,
        },
    )


def start(config, pins):
    daemon = PrinterDaemon(config, pin_factory=pins, hold_seconds=0.3, new_roll_seconds=1.0)
    daemon.start()
    return daemon


def press(pins, seconds=0.0):
    pins.pin(17).drive_low()
    time.sleep(seconds)
    pins.pin(17).drive_high()


def cli(config, *args):
    env = {
        "KIOSK_CONFIG": "",
        "KIOSK_STATE_DIR": str(config.state_dir),
        "KIOSK_ROLL_LENGTH_M": str(config.roll_length_m),
        "KIOSK_PAPER_LOW_MM": str(config.paper_low_mm),
    }
    result = CliRunner().invoke(main, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result.output


def paper(config) -> dict:
    status = read_status(config, "printer") or {}
    return status.get("details", {})


def test_the_roll_count_runs_low_survives_a_restart_and_starts_again(hall_config, mock_pins):
    folder = hall_config.state_path / "slips"
    daemon = start(hall_config, mock_pins)
    try:
        assert wait_for(lambda: paper(hall_config).get("paper_left_mm") == 1000)
        assert paper(hall_config)["paper_low"] is False
        assert wait_for(lambda: daemon.led.state == READY)
        printed = 0
        while not paper(hall_config).get("paper_low"):
            press(mock_pins)
            printed += 1
            assert wait_for(lambda n=printed: len(slip_files(folder)) == n)
            assert wait_for(lambda n=printed: paper(hall_config).get("slips_on_roll") == n)
            assert printed < 20, "the count never ran low"
        used = sum(decoded_mm(path.read_bytes()) for path in slip_files(folder))
        assert wait_for(lambda: abs(paper(hall_config)["paper_used_mm"] - used) <= 1)
        assert paper(hall_config)["paper_left_mm"] == pytest.approx(1000 - used, abs=1)
        assert 1000 - used <= 600 < 1000 - used + decoded_mm(slip_files(folder)[-1].read_bytes())
        assert wait_for(lambda: daemon.led.state == PAPER_LOW)
        assert "kertas hampir habis" in read_status(hall_config, "printer")["summary"]
    finally:
        daemon.stop()

    # A restart (or a power cut: the file is written atomically after each slip).
    daemon = start(hall_config, mock_pins)
    try:
        assert wait_for(lambda: daemon.led.state == PAPER_LOW)
        assert "!! paper: Paper low (kertas hampir habis)" in cli(hall_config, "status")

        # The technician loads a new roll and says so.
        assert "New paper roll marked" in cli(hall_config, "printer", "new-roll")
        assert wait_for(lambda: paper(hall_config).get("paper_used_mm") == 0)
        assert paper(hall_config)["paper_low"] is False
        assert wait_for(lambda: daemon.led.state == READY)
    finally:
        daemon.stop()


def test_a_ten_second_hold_marks_a_new_roll(hall_config, mock_pins):
    roll = Roll.for_config(hall_config)
    roll.add(900.0)
    assert roll.state().low
    daemon = start(hall_config, mock_pins)  # new_roll_seconds = 1.0 here
    try:
        assert wait_for(lambda: daemon.led.state == PAPER_LOW)
        press(mock_pins, seconds=1.3)
        assert wait_for(lambda: roll.state().used_mm == 0)
        assert roll.state().since is not None
        assert wait_for(lambda: daemon.led.state == READY)
        # A plain long press (the index slip) does not touch the count.
        press(mock_pins, seconds=0.5)
        folder = hall_config.state_path / "slips"
        assert wait_for(lambda: len(slip_files(folder)) == 2)  # index at 0.3 s, twice
        # The first came before the roll was marked new (at release): one counted.
        assert wait_for(lambda: roll.state().slips == 1)
        second = decoded_mm(slip_files(folder)[1].read_bytes())
        assert roll.state().used_mm == pytest.approx(second, abs=0.1)
    finally:
        daemon.stop()


def test_roll_file_is_plain_and_a_damaged_one_counts_from_zero(tmp_path, caplog):
    roll = Roll(tmp_path / FILE_NAME, length_mm=30_000, low_mm=2000)
    assert roll.state().used_mm == 0 and not roll.state().low
    roll.add(120.4)
    roll.add(100.0)
    state = Roll(tmp_path / FILE_NAME, 30_000, 2000).state()  # another process reads it
    assert (state.used_mm, state.slips) == (pytest.approx(220.4), 2)
    assert state.fields() == {
        "paper_used_mm": 220,
        "paper_left_mm": 29780,
        "paper_low": False,
        "roll_changed": None,
        "slips_on_roll": 2,
    }
    assert json.loads((tmp_path / FILE_NAME).read_text())["used_mm"] == 220.4
    (tmp_path / FILE_NAME).write_text("{not json")
    assert roll.state().used_mm == 0
    assert "unreadable" in caplog.text
    roll.add(29_000)
    assert roll.state().low and roll.state().left_mm == pytest.approx(1000)
    roll.add(5_000)
    assert roll.state().left_mm == 0  # never negative
