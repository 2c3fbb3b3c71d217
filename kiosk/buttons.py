"""The hall's big buttons and the status LED (gpiozero), pin factory injectable.

A short press prints the button's service; holding it ``LONG_PRESS_SECONDS`` prints
the index slip; a technician who keeps holding any button until ``NEW_ROLL_SECONDS``
marks a new paper roll (printer/roll.py; counted on release, so a stuck button never
does). Callbacks only enqueue. Each button has a cooldown
(``button_cooldown_seconds``) so a child hammering it gets one slip, and a stuck
button prints once (a hold fires once; no release, no more presses).

LED: steady = ready, slow blink = printing, fast blink = printer missing / no paper,
on with a short dark blink every 2 s = ready but the roll is nearly used up.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from .errors import ConfigError
from .printer.spool import Job
from .printer.worker import MISSING, NO_PAPER, PAPER_LOW, PRINTING, READY, STOPPED

log = logging.getLogger(__name__)

LONG_PRESS_SECONDS = 2.0
NEW_ROLL_SECONDS = 10.0
BOUNCE_SECONDS = 0.05


def parse_buttons(buttons: list) -> list[tuple[int | str, str]]:
    """[(pin, service id)] from the ``buttons`` setting; ConfigError names a bad entry."""
    out, seen = [], set()
    for number, entry in enumerate(buttons, 1):
        if not isinstance(entry, dict) or "pin" not in entry or "service" not in entry:
            raise ConfigError(
                f'buttons: entry {number} must look like {{pin = 17, service = "ktp-el-baru"}}, '
                f"not {entry!r}"
            )
        pin, service = entry["pin"], entry["service"]
        if isinstance(pin, bool) or not isinstance(pin, (int, str)) or not isinstance(service, str):
            raise ConfigError(f"buttons: entry {number}: pin must be a number and service text")
        if pin in seen:
            raise ConfigError(f"buttons: pin {pin} is used twice")
        seen.add(pin)
        out.append((pin, service))
    return out


class StatusLed:
    """The printer's state on one LED."""

    PATTERNS = {
        READY: None,  # steady on
        PRINTING: (0.5, 0.5),
        MISSING: (0.1, 0.1),
        NO_PAPER: (0.1, 0.1),
        PAPER_LOW: (1.8, 0.2),  # on, with a short dark blink every 2 s: kertas hampir habis
    }

    def __init__(self, pin, pin_factory=None):
        from gpiozero import LED

        self.led = LED(pin, pin_factory=pin_factory)
        self.state = ""

    def show(self, state: str) -> None:
        self.state = state
        if state == STOPPED:
            self.led.off()
        elif (pattern := self.PATTERNS.get(state)) is None:
            self.led.on()
        else:
            on, off = pattern
            self.led.blink(on_time=on, off_time=off, background=True)

    def close(self) -> None:
        self.led.close()


class ButtonPanel:
    """gpiozero Buttons wired to ``submit`` (the print worker's put_nowait)."""

    def __init__(
        self,
        buttons: list,
        submit: Callable[[Job], bool],
        cooldown: float,
        *,
        pin_factory=None,
        hold_seconds: float = LONG_PRESS_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        on_new_roll: Callable[[], object] | None = None,
        new_roll_seconds: float = NEW_ROLL_SECONDS,
    ):
        from gpiozero import Button

        self.submit = submit
        self.on_new_roll = on_new_roll
        self.new_roll_seconds = new_roll_seconds
        self._pressed: dict = {}
        self.cooldown = cooldown
        self.clock = clock
        self._lock = threading.Lock()
        self._last: dict = {}
        self._held: dict = {}
        self.buttons = []  # keep references: gpiozero holds callbacks weakly (gpiozero#959)
        try:
            for pin, service in parse_buttons(buttons):
                button = Button(
                    pin,
                    bounce_time=BOUNCE_SECONDS,
                    hold_time=hold_seconds,
                    hold_repeat=False,
                    pin_factory=pin_factory,
                )
                button.when_pressed = lambda pin=pin: self._pressed.__setitem__(pin, self.clock())
                button.when_held = lambda pin=pin: self._on_held(pin)
                button.when_released = lambda pin=pin, service=service: self._on_released(
                    pin, service
                )
                self.buttons.append(button)
                log.info("button on pin %s prints %s (hold: index)", pin, service)
        except BaseException:
            self.close()
            raise

    def _on_held(self, pin) -> None:
        self._held[pin] = True
        self._fire(pin, Job(kind="index", source=f"button:{pin}"))

    def _on_released(self, pin, service: str) -> None:
        pressed = self._pressed.pop(pin, None)
        held = self._held.pop(pin, False)
        if held and pressed is not None and self.clock() - pressed >= self.new_roll_seconds:
            log.info("button %s held %.0f s: new paper roll", pin, self.clock() - pressed)
            if self.on_new_roll is not None:
                self.on_new_roll()
            return
        if held:
            return  # the end of a long press: the index was printed already
        self._fire(pin, Job(kind="service", service=service, source=f"button:{pin}"))

    def _fire(self, pin, job: Job) -> None:
        now = self.clock()
        with self._lock:
            last = self._last.get(pin)
            if last is not None and now - last < self.cooldown:
                log.debug("button %s ignored (cooldown)", pin)
                return
            self._last[pin] = now
        job = Job(job.kind, job.service, job.source, time.time())
        self.submit(job)

    def close(self) -> None:
        for button in self.buttons:
            button.close()
        self.buttons = []
