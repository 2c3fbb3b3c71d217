"""``kiosk printer``: buttons + LED + one print worker, in its own process.

It shares nothing with the web process but files: the catalog store (read only),
the spool folder and its status file. Without GPIO (a laptop, a broken pin library)
it says so in one sentence and keeps printing jobs from the site.
"""

from __future__ import annotations

import logging
import signal
import threading

from ..buttons import (
    LONG_PRESS_SECONDS,
    NEW_ROLL_SECONDS,
    ButtonPanel,
    StatusLed,
    parse_buttons,
)
from ..catalog.active import CurrentCatalog
from ..config import Config
from ..outbox import Outbox
from ..slips.layout import index_slip
from ..slips.render import slip_bytes
from ..systemd import notify, start_watchdog
from ..voice.counts import DemandCounter, Flusher
from .backends import Backend, make_backend
from .spool import Job, Spool
from .worker import PrintWorker

log = logging.getLogger(__name__)


class PrinterDaemon:
    def __init__(
        self,
        config: Config,
        backend: Backend | None = None,
        pin_factory=None,
        hold_seconds: float = LONG_PRESS_SECONDS,
        new_roll_seconds: float = NEW_ROLL_SECONDS,
    ):
        self.config = config
        self.backend = backend or make_backend(config)
        self.spool = Spool(config.state_path / "spool")
        self.catalog = CurrentCatalog(config)
        self.led: StatusLed | None = None
        self.panel: ButtonPanel | None = None
        self.counter = DemandCounter()  # slips printed, flushed to the outbox hourly
        self._flusher: Flusher | None = None
        self.worker = PrintWorker(
            config,
            self.backend,
            self.catalog.get,
            self.spool,
            on_state=self._on_state,
            on_printed=self._count_slip,
        )
        self._check_buttons()
        if config.buttons or config.led_pin:
            self._setup_pins(pin_factory, hold_seconds, new_roll_seconds)

    def _check_buttons(self) -> None:
        catalog = self.catalog.get()
        for pin, service in parse_buttons(self.config.buttons):
            if catalog.service(service) is None:
                log.error(
                    "button on pin %s names unknown service %r: its presses will not print",
                    pin,
                    service,
                )

    def _setup_pins(self, pin_factory, hold_seconds: float, new_roll_seconds: float) -> None:
        from gpiozero.exc import GPIOZeroError

        try:
            if self.config.led_pin:
                self.led = StatusLed(self.config.led_pin, pin_factory=pin_factory)
            self.panel = ButtonPanel(
                self.config.buttons,
                self.worker.submit,
                self.config.button_cooldown_seconds,
                pin_factory=pin_factory,
                hold_seconds=hold_seconds,
                on_new_roll=self.worker.roll.new_roll,
                new_roll_seconds=new_roll_seconds,
            )
        except GPIOZeroError as exc:
            if self.led is not None:
                self.led.close()
                self.led = None
            log.error(
                "No GPIO pins (%s): buttons and LED are off, slips from the site still "
                "print. Check the pin library (python3-lgpio, group gpio); on a laptop "
                "set GPIOZERO_PIN_FACTORY=mock.",
                exc,
            )

    def _on_state(self, state: str) -> None:
        if self.led is not None:
            self.led.show(state)

    def _count_slip(self, job: Job) -> None:
        if job.kind == "service":
            metric = "slip_site" if job.source == "web" else "slip_button"
            self.counter.add(job.service, metric)

    def start(self) -> None:
        # Warm up python-escpos and Pillow (capabilities, imports) so the first press is fast.
        slip_bytes(
            index_slip(self.catalog.get(), self.config),
            self.backend.profile,
            self.backend.native_qr,
        )
        self.worker.start()
        self._flusher = Flusher(self.counter, Outbox.for_config(self.config)).start()
        log.info("printer daemon ready: %s, spool %s", self.backend.describe(), self.spool.folder)

    def stop(self) -> None:
        if self.panel is not None:
            self.panel.close()
        self.worker.stop()
        if self._flusher is not None:
            self._flusher.stop()  # the current hour's slips too
        if self.led is not None:
            self.led.close()

    def run_forever(self) -> None:
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        self.start()
        notify("READY=1")
        watchdog = start_watchdog(self.worker.is_alive)
        try:
            stop.wait()
        finally:
            notify("STOPPING=1")
            if watchdog is not None:
                watchdog.set()
            self.stop()


def start_demo_printer(config: Config) -> PrinterDaemon:
    """The printer daemon inside ``kiosk demo``: simulated pins, the configured backend."""
    from gpiozero.pins.mock import MockFactory

    daemon = PrinterDaemon(config, pin_factory=MockFactory())
    daemon.start()
    where = getattr(daemon.backend, "folder", None)
    log.info("demo printer: slips from the site go to %s", where or daemon.backend.describe())
    return daemon
