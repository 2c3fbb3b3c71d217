"""How much paper a slip takes, read from the ESC/POS bytes that go to the printer.

The roll counter (roll.py) and bench/paper.py both measure here, so what the
technician is told about the roll and what the bench reports are one computation.
The walk follows the Epson command reference for what moves the paper:

- a line feed (LF, and each line of ``ESC d n``) advances the line spacing, or the
  tallest character on the line when that is taller (font A 24 dots, font B 17,
  twice that in double height);
- ``ESC 2`` / ``ESC @`` restore the printer's default spacing, ``ESC 3 n`` sets n
  dots (the vertical motion unit of a 203 dpi printer is one dot);
- a raster image (``GS v 0``) advances its height, a native QR (``GS ( k`` print)
  its module count times the module size, ``ESC J n`` n dots;
- ``GS V 65/66 n`` feeds n dots before cutting (a printer without a cutter ignores
  it; one with a cutter also feeds its own head-to-blade distance, not counted here).

Any other command is skipped by its known length; an unknown one raises ValueError,
so a new command in render.py cannot be silently mis-measured.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ESC, GS, DLE, LF = 0x1B, 0x1D, 0x10, 0x0A
MM_PER_INCH = 25.4

FONT_HEIGHT = {0: 24, 1: 17}  # dots: font A 12x24, font B 9x17


@dataclass(frozen=True)
class LineModel:
    """What one printer does with a line feed."""

    dpi: int = 203
    default_spacing: float = 203 / 6  # dots after ESC 2 / ESC @: 1/6 inch (4.23 mm)


# The default line spacing differs between printers (Epson: 1/6 inch; POS-58 clones
# 30 to 34 dots), so slips set their own with ESC 3 and only the reset at the start
# depends on it. Every profile we ship is a 203 dpi printer; 1/6 inch is the longest
# common default, so an estimate errs towards "roll low" early.
LINE_MODELS = {"POS-5890": LineModel(), "TM-T20II": LineModel()}
FALLBACK = LineModel()

# Commands with a fixed number of parameter bytes (after the command byte).
_ESC_ARGS = {ord(c): 1 for c in "taE-!M{GV SrcRU"} | {ord("@"): 0, ord("2"): 0}
_GS_ARGS = {ord(c): 1 for c in "!BbHfhwLTrxa"}


def line_model(profile: str | None) -> LineModel:
    return LINE_MODELS.get(profile or "", FALLBACK)


class _QrState:
    """Native QR (GS ( k, cn 49): module size and stored payload, until it is printed."""

    def __init__(self) -> None:
        self.size = 3
        self.ec = "m"
        self.payload = b""


@dataclass
class _Head:
    """The printer's state while walking the bytes."""

    model: LineModel
    spacing: float = 0.0
    font: int = 0
    tall: bool = False
    line_height: int = 0  # tallest character in the current line, 0 if empty
    dots: float = 0.0
    qr: _QrState = field(default_factory=lambda: _QrState())

    def __post_init__(self) -> None:
        self.spacing = self.model.default_spacing

    def char(self) -> None:
        height = FONT_HEIGHT[self.font] * (2 if self.tall else 1)
        self.line_height = max(self.line_height, height)

    def feed_line(self) -> None:
        self.dots += max(self.spacing, self.line_height)
        self.line_height = 0

    def flush(self) -> None:
        """Print what is in the buffer (an image or feed command does this first)."""
        if self.line_height:
            self.feed_line()


def paper_dots(data: bytes, model: LineModel) -> float:
    """Length of ``data`` on paper, in dots."""
    head = _Head(model)
    i = 0
    while i < len(data):
        byte = data[i]
        if byte == LF:
            head.feed_line()
            i += 1
        elif byte == ESC:
            i = _esc(data, i, head)
        elif byte == GS:
            i = _gs(data, i, head)
        elif byte == DLE and data[i + 1 : i + 2] == b"\x04":
            i += 3
        elif byte < 0x20 or byte == 0x7F:
            raise ValueError(f"unexpected control byte {byte:#04x} at {i}")
        else:
            head.char()
            i += 1
    head.flush()
    return head.dots


def _esc(data: bytes, i: int, head: _Head) -> int:
    cmd = data[i + 1]
    if cmd == ord("d"):  # print and feed n lines
        head.flush()
        head.dots += data[i + 2] * head.spacing
    elif cmd == ord("J"):  # print and feed n dots
        head.flush()
        head.dots += data[i + 2]
    elif cmd == ord("3"):
        head.spacing = data[i + 2]
    elif cmd == ord("2"):
        head.spacing = head.model.default_spacing
    elif cmd == ord("@"):
        head.spacing, head.font, head.tall = head.model.default_spacing, 0, False
    elif cmd == ord("!"):
        head.font, head.tall = data[i + 2] & 0x01, bool(data[i + 2] & 0x10)
    elif cmd == ord("M"):
        head.font = data[i + 2] & 0x01
    elif cmd not in _ESC_ARGS:
        raise ValueError(f"unknown command ESC {cmd:#04x} at {i}")
    return i + 3 if cmd in (ord("d"), ord("J"), ord("3")) else i + 2 + _ESC_ARGS[cmd]


def _gs(data: bytes, i: int, head: _Head) -> int:
    cmd = data[i + 1]
    if cmd == ord("v") and data[i + 2] == 0x30:  # raster image: GS v 0 m xL xH yL yH
        head.flush()
        width, height = data[i + 4] + 256 * data[i + 5], data[i + 6] + 256 * data[i + 7]
        head.dots += height
        return i + 8 + width * height
    if cmd == ord("(") and data[i + 2] in (ord("k"), ord("L")):
        size = data[i + 3] + 256 * data[i + 4]
        if data[i + 2] == ord("k"):
            _native_qr(data[i + 5 : i + 5 + size], head)
        return i + 5 + size
    if cmd == ord("V"):
        head.flush()
        mode = data[i + 2]
        if mode in (65, 66, 97, 98):
            head.dots += data[i + 3]
            return i + 4
        return i + 3
    if cmd == ord("!"):  # GS ! n: height multiplier in the low nibble
        head.tall = bool(data[i + 2] & 0x0F)
    if cmd not in _GS_ARGS:
        raise ValueError(f"unknown command GS {cmd:#04x} at {i}")
    return i + 3


def _native_qr(body: bytes, head: _Head) -> None:
    state = head.qr
    fn = body[1:2]
    if fn == b"C":
        state.size = body[2]
    elif fn == b"E":
        state.ec = "lmqh"[body[2] - 48] if 48 <= body[2] <= 51 else "m"
    elif fn == b"P":
        state.payload = body[3:]
    elif fn == b"Q":
        import segno

        head.flush()
        modules = segno.make_qr(state.payload, error=state.ec, boost_error=False).symbol_size(
            scale=1, border=0
        )[1]
        head.dots += modules * state.size


def dots_to_mm(dots: float, model: LineModel) -> float:
    return dots * MM_PER_INCH / model.dpi


def paper_mm(data: bytes, profile: str | None) -> float:
    """Length of the slip ``data`` on paper in mm, for a printer of ``profile``."""
    model = line_model(profile)
    return dots_to_mm(paper_dots(data, model), model)
