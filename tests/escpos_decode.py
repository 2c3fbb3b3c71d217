"""A small ESC/POS reader for tests, written from the Epson command reference.

It is independent of python-escpos on purpose: it reads the bytes a slip really
sends and gives back the text lines (with bold/centre/tall), raster images, native
QR payloads and whether the paper is cut. Any byte it does not know fails the test.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ESC, GS, DLE, LF = 0x1B, 0x1D, 0x10, 0x0A


@dataclass
class TextLine:
    text: str
    bold: bool
    center: bool
    tall: bool
    small: bool = False  # font B


@dataclass
class Decoded:
    lines: list[TextLine] = field(default_factory=list)
    images: list = field(default_factory=list)  # PIL images, black on white
    native_qrs: list[str] = field(default_factory=list)
    events: list[tuple] = field(
        default_factory=list
    )  # in order: ("line", i) ("image", i) ("qr", s) ("cut",)

    @property
    def text(self) -> list[str]:
        return [line.text for line in self.lines]

    @property
    def cut_at_end(self) -> bool:
        return bool(self.events) and self.events[-1] == ("cut",)

    def qr_payloads(self) -> list[str]:
        """Payloads of every QR, in order: native ones as sent, images decoded with zxing-cpp."""
        import zxingcpp

        out = []
        for event in self.events:
            if event[0] == "qr":
                out.append(event[1])
            elif event[0] == "image":
                found = zxingcpp.read_barcodes(
                    self.images[event[1]].convert("L"), formats=zxingcpp.BarcodeFormat.QRCode
                )
                out.extend(r.text for r in found)
        return out


# ESC commands with one parameter byte (ESC t, a, E, -, !, M, d, 3, {, J, G, V, SP)
ESC_ONE = set(b"taE-!Md3{JGV ")
ESC_NONE = set(b"@2")
GS_ONE = set(b"!BbHfhkwLTrx") - {ord("k")}


def decode(data: bytes) -> Decoded:
    out = Decoded()
    bold = center = tall = small = False
    line = bytearray()
    line_style = None
    qr_store = b""
    i = 0

    def flush():
        nonlocal line, line_style
        style = line_style or (bold, center, tall, small)
        out.lines.append(TextLine(line.decode("cp437"), *style))
        out.events.append(("line", len(out.lines) - 1))
        line, line_style = bytearray(), None

    while i < len(data):
        b = data[i]
        if b == LF:
            flush()
            i += 1
        elif b == ESC:
            cmd = data[i + 1]
            if cmd in ESC_NONE:
                if cmd == ord("@"):
                    bold = center = tall = small = False
                i += 2
            elif cmd in ESC_ONE:
                n = data[i + 2]
                if cmd == ord("a"):
                    center = n in (1, 49)
                elif cmd == ord("E"):
                    bold = bool(n & 1)
                elif cmd == ord("!"):
                    bold, tall, small = bool(n & 0x08), bool(n & 0x10), bool(n & 0x01)
                elif cmd == ord("M"):
                    small = bool(n & 0x01)
                elif cmd == ord("d"):  # print the buffer and feed n lines
                    if line:
                        flush()
                    out.events.append(("feed", n))
                i += 3
            elif cmd == ord("*"):
                m, nl, nh = data[i + 2], data[i + 3], data[i + 4]
                i += 5 + (nl + 256 * nh) * (3 if m in (32, 33) else 1)
            else:
                raise ValueError(f"unknown command ESC {cmd:#x} at byte {i}")
        elif b == GS:
            cmd = data[i + 1]
            if cmd == ord("V"):
                m = data[i + 2]
                i += 3 + (1 if m in (65, 66, 97, 98) else 0)
                if line:
                    flush()
                out.events.append(("cut",))
            elif cmd == ord("v") and data[i + 2] == 0x30:
                from PIL import Image, ImageOps

                xl, xh, yl, yh = data[i + 4 : i + 8]
                wb, h = xl + 256 * xh, yl + 256 * yh
                raster = data[i + 8 : i + 8 + wb * h]
                image = Image.frombytes("1", (wb * 8, h), raster)
                out.images.append(ImageOps.invert(image.convert("L")))
                out.events.append(("image", len(out.images) - 1))
                i += 8 + wb * h
            elif cmd == ord("(") and data[i + 2] in (ord("k"), ord("L")):
                pl, ph = data[i + 3], data[i + 4]
                body = data[i + 5 : i + 5 + pl + 256 * ph]
                if data[i + 2] == ord("k") and body[:2] == b"1P":
                    qr_store = body[3:]
                elif data[i + 2] == ord("k") and body[:2] == b"1Q":
                    out.native_qrs.append(qr_store.decode("utf-8"))
                    out.events.append(("qr", qr_store.decode("utf-8")))
                i += 5 + pl + 256 * ph
            elif cmd in GS_ONE:
                i += 3
            else:
                raise ValueError(f"unknown command GS {cmd:#x} at byte {i}")
        elif b == DLE and data[i + 1] == 0x04:
            i += 3
        elif b < 0x20 or b == 0x7F:
            raise ValueError(f"unexpected control byte {b:#x} at byte {i}")
        else:
            if not line:
                line_style = (bold, center, tall, small)
            line.append(b)
            i += 1
    if line:
        flush()
    return out
