"""The thin layer from a :class:`~kiosk.slips.layout.Slip` to python-escpos calls.

Slips are rendered into a python-escpos ``Dummy`` first: the bytes are then handed to
any backend in one go (and are what ``kiosk slip --output`` writes). Native QR
(``GS ( k``) only where the printer profile says it has it; otherwise a QR image
with a 4-module quiet zone, which every ESC/POS printer prints (``GS v 0``).
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import segno

from .layout import Line, Qr, Slip

# Profiles from escpos-printer-db that carry the paper's dot width (the "default"
# profile does not, and then python-escpos cannot check image widths).
DEFAULT_PROFILES = {58: "POS-5890", 80: "TM-T20II"}
# Line spacing in dots (ESC 3 n; one dot on a 203 dpi printer), set by the slip itself
# so its length does not depend on each printer's default: font A is 24 dots high,
# font B 17; the rest is the white between lines.
SPACING = {False: 30, True: 22}  # small (font B)?
FEED_LINES = 4  # blank lines (font A spacing: 15 mm) so the last line clears the tear bar
QR_TARGET_DOTS = 160  # a QR about 20 mm wide: a phone reads it from a hand's length
QR_MIN_SCALE, QR_MAX_SCALE = 4, 6  # dots per module: 0.5 to 0.75 mm at 203 dpi


def escpos_module():
    """Import python-escpos with its capabilities cache in a fixed folder.

    Without ESCPOS_CAPABILITIES_PICKLE_DIR it makes a new temp dir per process and
    re-parses its YAML each start (slow on a Pi). The systemd unit sets it to
    /var/cache/kiosk; elsewhere a per-user folder in the temp dir is used.
    """
    if "ESCPOS_CAPABILITIES_PICKLE_DIR" not in os.environ:
        cache = Path(tempfile.gettempdir()) / f"pelita-escpos-{os.getuid()}"
        cache.mkdir(mode=0o700, exist_ok=True)
        os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = str(cache)
    import escpos.printer

    return escpos.printer


def printer_profile(paper_width: int, name: str | None = None):
    """The python-escpos Profile for ``name`` (or the default for the paper width)."""
    escpos_module()
    from escpos.capabilities import get_profile

    return get_profile(name or DEFAULT_PROFILES[paper_width])


def qr_scale(modules: int, dots: int) -> int:
    """Dots per module: about QR_TARGET_DOTS wide, never wider than the paper."""
    wanted = -(-QR_TARGET_DOTS // modules)  # ceiling
    return max(1, min(QR_MAX_SCALE, max(QR_MIN_SCALE, wanted), dots // (modules + 8)))


def _qr_code(payload: str):
    return segno.make_qr(payload, error="m", boost_error=False)


def qr_image(payload: str, dots: int):
    """A black-on-white PIL image of the QR, with a 4-module quiet zone, ≤ ``dots`` wide."""
    from PIL import Image

    code = _qr_code(payload)
    scale = qr_scale(code.symbol_size(scale=1, border=0)[0], dots)
    buf = io.BytesIO()
    code.save(buf, kind="png", scale=scale, border=4)
    buf.seek(0)
    image = Image.open(buf)
    image.load()
    return image.convert("1")


def _set_style(printer, line: Line, style: tuple[bool, bool, bool] | None) -> None:
    if style is None or line.small != style[2]:
        printer.set(font="b" if line.small else "a")
        printer.line_spacing(SPACING[line.small], divisor=180)  # ESC 3 n
    printer.set(bold=line.bold, align="center" if line.center else "left")


def _print_qr(printer, payload: str, dots: int, native_qr: bool) -> None:
    printer.set(align="center")
    if native_qr:
        modules = _qr_code(payload).symbol_size(scale=1, border=0)[0]
        size = qr_scale(modules, dots)
        printer.qr(payload, native=True, size=size, ec=1)  # ec 1 = M
        printer.print_and_feed(1)
    else:
        printer.image(qr_image(payload, dots), center=True)


def render(slip: Slip, printer, native_qr: bool | None = None) -> None:
    """Send ``slip`` to a python-escpos printer object (Dummy, Usb, …)."""
    if native_qr is None:
        native_qr = printer.profile.supports("qrCode")
    printer.hw("INIT")
    printer.set_with_default()
    style: tuple[bool, bool, bool] | None = None
    for item in slip.items:
        if isinstance(item, Line):
            wanted = (item.bold, item.center, item.small)
            if wanted != style:
                _set_style(printer, item, style)
                style = wanted
            printer.textln(item.text)
        elif isinstance(item, Qr):
            _print_qr(printer, item.payload, slip.dots, native_qr)
            style = None  # alignment changed: set it again before the next line
    printer.set_with_default()
    printer.line_spacing(SPACING[False], divisor=180)
    printer.print_and_feed(FEED_LINES)
    # GS V B 0: feed to the cutter and cut (partial). Sent whatever the printer db
    # says: printers without a cutter ignore it, clones it does not know still cut.
    printer.cut(feed=False)


def slip_bytes(slip: Slip, profile: str | None = None, native_qr: bool | None = None) -> bytes:
    """The exact ESC/POS bytes of ``slip`` for a printer of ``profile``."""
    printer_classes = escpos_module()
    dummy = printer_classes.Dummy(
        profile=profile or DEFAULT_PROFILES[slip.paper_width],
        # Slip text is ASCII (printable.py): the same in every code page, so no
        # code-page switching is needed or sent.
        magic_encode_args={"disabled": True, "encoding": "CP437"},
    )
    render(slip, dummy, native_qr)
    return dummy.output
