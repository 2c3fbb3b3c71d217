"""Time from a (mock) button press, and from a web POST, to the first byte handed to the printer.

Run by hand: .venv/bin/python bench/print_latency.py [--runs 20]. Target: < 200 ms.
The real daemon parts are used (PrinterDaemon: buttons on gpiozero MockFactory, the
print worker, spool, python-escpos rendering) with a printer that notes when it got
the bytes. A short press is recognised on release, so the clock starts at release.
The web path is a real waitress server on 127.0.0.1 and a real HTTP POST.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
import urllib.request

from gpiozero.pins.mock import MockFactory

from kiosk.config import load_config
from kiosk.printer.backends import DummyBackend
from kiosk.printer.daemon import PrinterDaemon
from kiosk.status import write_status
from kiosk.web import create_app


class StopwatchPrinter(DummyBackend):
    def __init__(self):
        super().__init__()
        self.got = threading.Event()
        self.first_byte_at = 0.0

    def write(self, data, name="slip", preview=""):
        self.first_byte_at = time.perf_counter()
        self.got.set()
        super().write(data, name, preview)


def figures(name: str, samples: list[float]) -> None:
    ms = sorted(s * 1000 for s in samples)
    print(
        f"{name:<28} n={len(ms):<3} median {statistics.median(ms):6.1f} ms   "
        f"p90 {ms[int(len(ms) * 0.9) - 1]:6.1f} ms   max {ms[-1]:6.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as state:
        config = load_config(
            env={},
            overrides={
                "state_dir": state,
                "button_cooldown_seconds": 0,
                "web_print_per_minute": 10**6,
                "buttons": [{"pin": 17, "service": "ktp-el-baru"}],
                "led_pin": 4,
            },
        )
        printer = StopwatchPrinter()
        pins = MockFactory()
        daemon = PrinterDaemon(config, backend=printer, pin_factory=pins)
        daemon.start()
        try:
            press = []
            for _ in range(args.runs):
                printer.got.clear()
                pins.pin(17).drive_low()
                start = time.perf_counter()
                pins.pin(17).drive_high()
                assert printer.got.wait(5), "no slip printed"
                press.append(printer.first_byte_at - start)
                time.sleep(0.05)

            from waitress.server import create_server

            write_status(config, "printer", "ready", True, state="ready")
            server = create_server(
                create_app(config),
                host="127.0.0.1",
                port=0,
                threads=4,
                clear_untrusted_proxy_headers=True,
            )
            port = server.effective_port
            threading.Thread(target=server.run, daemon=True).start()
            web = []
            for i in range(args.runs):
                printer.got.clear()
                service = ["kia", "sktm", "akta-kelahiran", "kk-baru"][i % 4]
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/cetak/{service}", data=b"", method="POST"
                )
                start = time.perf_counter()
                with urllib.request.urlopen(request, timeout=5) as response:
                    response.read()
                assert printer.got.wait(5), "no slip printed"
                web.append(printer.first_byte_at - start)
                time.sleep(0.05)
            server.task_dispatcher.shutdown()
            server.close()
        finally:
            daemon.stop()
            pins.reset()
    print(f"print latency, {len(printer.jobs)} slips (58 mm, QR as image), target < 200 ms")
    figures("button release -> printer", press)
    figures("web POST -> printer", web)


if __name__ == "__main__":
    main()
