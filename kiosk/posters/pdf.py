"""Poster layout → PDF, written by hand: A4 page, vector QR modules, standard fonts.

No library: a one-page PDF is a few objects and an xref table. Text uses the
standard Helvetica fonts (every viewer and printer has them, nothing embedded)
in WinAnsi encoding; characters outside it lose their accent or become ``?``.
"""

from __future__ import annotations

import zlib

from .layout import QR, QUIET_ZONE, Circle, Poster, Rect, Text
from .metrics import winansi
from .output import Output, emit, runs

MM = 72 / 25.4
KAPPA = 0.5523  # Bézier handle length of a quarter circle


def _num(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _rgb(color: str) -> str:
    r, g, b = (int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return f"{_num(r)} {_num(g)} {_num(b)}"


def _pdf_string(text: str) -> str:
    out = []
    for byte in winansi(text).encode("cp1252"):
        if byte in b"()\\":
            out.append("\\" + chr(byte))
        elif 32 <= byte < 127:
            out.append(chr(byte))
        else:
            out.append(f"\\{byte:03o}")
    return "(" + "".join(out) + ")"


def _circle(cx: float, cy: float, r: float) -> str:
    """A closed circle path from four Bézier quarters, counter-clockwise from 3 o'clock."""
    k = r * KAPPA
    quarters = (
        (r, k, k, r, 0, r),
        (-k, r, -r, k, -r, 0),
        (-r, -k, -k, -r, 0, -r),
        (k, -r, r, -k, r, 0),
    )
    path = [f"{_num(cx + r)} {_num(cy)} m"]
    for x1, y1, x2, y2, x3, y3 in quarters:
        points = (cx + x1, cy + y1, cx + x2, cy + y2, cx + x3, cy + y3)
        path.append(" ".join(_num(p) for p in points) + " c")
    return " ".join(path)


def _content(poster: Poster) -> str:
    height = poster.height * MM
    ops: list[str] = []

    def y(mm: float) -> float:
        return height - mm * MM

    for e in poster.elements:
        if isinstance(e, Rect):
            ops.append(
                f"{_rgb(e.color)} rg {_num(e.x * MM)} {_num(y(e.y + e.h))} "
                f"{_num(e.w * MM)} {_num(e.h * MM)} re f"
            )
        elif isinstance(e, Circle):
            ops.append(f"{_rgb(e.color)} rg " + _circle(e.cx * MM, y(e.cy), e.r * MM) + " f")
        elif isinstance(e, QR):
            m = e.module_mm
            parts = ["0 0 0 rg"]
            for row_no, row in enumerate(e.modules):
                top = e.y + (row_no + QUIET_ZONE) * m
                for start, length in runs(row):
                    left = e.x + (start + QUIET_ZONE) * m
                    parts.append(
                        f"{_num(left * MM)} {_num(y(top + m))} "
                        f"{_num(length * m * MM)} {_num(m * MM)} re"
                    )
            ops.append("\n".join(parts) + " f")
        elif isinstance(e, Text):
            font = "F2" if e.bold else "F1"
            ops.append(
                f"BT /{font} {_num(e.size)} Tf {_rgb(e.color)} rg "
                f"1 0 0 1 {_num(e.left * MM)} {_num(y(e.y))} Tm {_pdf_string(e.text)} Tj ET"
            )
    return "\n".join(ops) + "\n"


def _text_string(text: str) -> str:
    """A PDF text string for metadata: UTF-16BE with BOM, as hex."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def pdf_bytes(poster: Poster) -> bytes:
    stream = zlib.compress(_content(poster).encode("latin-1"), 9)
    width, height = poster.width * MM, poster.height * MM
    title = f"Pelita Kiosk — Balai Desa {poster.village.name}"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {_num(width)} {_num(height)}] "
            "/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> /Contents 4 0 R >>"
        ).encode(),
        f"<< /Length {len(stream)} /Filter /FlateDecode >>\nstream\n".encode()
        + stream
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        f"<< /Title {_text_string(title)} /Producer (Pelita Kiosk) >>".encode(),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


def write_pdf(poster: Poster, out: Output) -> None:
    """Write the poster as a one-page PDF to a path or a binary file object."""
    emit(pdf_bytes(poster), out)
