"""Buttons and LED on gpiozero MockFactory: press, hold, rapid presses, stuck button."""

from __future__ import annotations

import threading
import time

import pytest

from kiosk.buttons import ButtonPanel, StatusLed, parse_buttons
from kiosk.errors import ConfigError


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


@pytest.fixture
def panel(mock_pins):
    jobs, got = [], threading.Event()

    def submit(job):
        jobs.append(job)
        got.set()
        return True

    clock = Clock()
    panel = ButtonPanel(
        [{"pin": 17, "service": "ktp-el-baru"}, {"pin": 27, "service": "kia"}],
        submit,
        cooldown=5,
        pin_factory=mock_pins,
        hold_seconds=0.1,
        clock=clock,
    )
    try:
        yield panel, jobs, got, clock, mock_pins
    finally:
        panel.close()


def press(factory, pin, hold=0.0):
    factory.pin(pin).drive_low()
    if hold:
        time.sleep(hold)
    factory.pin(pin).drive_high()


def test_short_press_prints_the_mapped_service(panel):
    _, jobs, _, _, pins = panel
    press(pins, 27)
    assert [(j.kind, j.service, j.source) for j in jobs] == [("service", "kia", "button:27")]


def test_long_press_prints_the_index_only(panel):
    _, jobs, got, _, pins = panel
    pins.pin(17).drive_low()
    assert got.wait(2)
    pins.pin(17).drive_high()
    assert [(j.kind, j.source) for j in jobs] == [("index", "button:17")]


def test_twenty_presses_in_two_seconds_give_one_slip(panel):
    _, jobs, _, clock, pins = panel
    for _ in range(20):
        press(pins, 17)
        clock.now += 0.1
    assert len(jobs) == 1
    press(pins, 27)  # the other button has its own cooldown
    assert len(jobs) == 2
    clock.now += 5
    press(pins, 17)
    assert len(jobs) == 3


def test_stuck_button_prints_once(panel):
    _, jobs, got, clock, pins = panel
    pins.pin(17).drive_low()  # and it never comes back up
    assert got.wait(2)
    time.sleep(0.5)  # five hold times
    clock.now += 60
    time.sleep(0.2)
    assert len(jobs) == 1


@pytest.mark.parametrize(
    ("buttons", "message"),
    [
        ([{"pin": 17}], "entry 1 must look like"),
        ([{"pin": "17", "service": 5}], "pin must be a number and service text"),
        ([{"pin": 17, "service": "a"}, {"pin": 17, "service": "b"}], "pin 17 is used twice"),
    ],
)
def test_bad_button_settings(buttons, message):
    with pytest.raises(ConfigError, match=message):
        parse_buttons(buttons)


def test_led_patterns(mock_pins):
    """Steady when ready, fast blink when the printer is missing, slow blink when printing."""
    led = StatusLed(4, pin_factory=mock_pins)
    pin = mock_pins.pin(4)

    def switches_on_during(state, seconds):
        pin.clear_states()
        led.show(state)
        time.sleep(seconds)
        return [s.state for s in pin.states].count(True)

    try:
        # Generous windows: the blink thread may be starved on a loaded CI machine.
        assert switches_on_during("ready", 0.3) == 1 and led.led.is_lit
        fast = switches_on_during("missing", 1.0)  # 0.1 s on/off: ~5 flashes
        slow = switches_on_during("printing", 1.0)  # 0.5 s on/off: 1-2 flashes
        assert fast >= 3, fast
        assert 1 <= slow <= 2, slow
        led.show("stopped")
        assert not led.led.is_lit
    finally:
        led.close()
