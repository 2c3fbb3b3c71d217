"""Poster layout → SVG (user units are millimetres), written by hand.

Text names Helvetica-compatible fonts; ``textLength`` pins each line to the
width we measured, so a viewer with a wider fallback font squeezes the line
instead of letting it run over the edge.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from .layout import QR, QUIET_ZONE, Circle, Poster, Rect, Text
from .metrics import PT_MM
from .output import Output, emit, runs

FONTS = "Helvetica, Arial, 'Liberation Sans', 'Nimbus Sans', sans-serif"


def _n(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def svg_text(poster: Poster) -> str:
    w, h = _n(poster.width), _n(poster.height)
    title = f"Pelita Kiosk — Balai Desa {poster.village.name}"
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}mm" height="{h}mm" '
        f'viewBox="0 0 {w} {h}" font-family="{FONTS}">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{w}" height="{h}" fill="#ffffff"/>',
    ]
    for e in poster.elements:
        if isinstance(e, Rect):
            out.append(
                f'<rect x="{_n(e.x)}" y="{_n(e.y)}" width="{_n(e.w)}" '
                f'height="{_n(e.h)}" fill="{e.color}"/>'
            )
        elif isinstance(e, Circle):
            out.append(f'<circle cx="{_n(e.cx)}" cy="{_n(e.cy)}" r="{_n(e.r)}" fill="{e.color}"/>')
        elif isinstance(e, QR):
            m = e.module_mm
            d = []
            for row_no, row in enumerate(e.modules):
                top = e.y + (row_no + QUIET_ZONE) * m
                for start, length in runs(row):
                    left = e.x + (start + QUIET_ZONE) * m
                    d.append(f"M{_n(left)} {_n(top)}h{_n(length * m)}v{_n(m)}h{_n(-length * m)}z")
            out.append(
                f'<path class="qr-{e.role}" data-payload={quoteattr(e.payload)} '
                f'fill="#000000" d="{"".join(d)}"/>'
            )
        elif isinstance(e, Text):
            anchor = ' text-anchor="middle"' if e.anchor == "middle" else ""
            weight = ' font-weight="bold"' if e.bold else ""
            fit = ""
            if e.max_width and len(e.text) > 1:
                fit = f' textLength="{_n(e.width)}" lengthAdjust="spacingAndGlyphs"'
            out.append(
                f'<text x="{_n(e.x)}" y="{_n(e.y)}" font-size="{_n(e.size * PT_MM)}"'
                f'{weight}{anchor} fill="{e.color}"{fit}>{escape(e.text)}</text>'
            )
    out.append("</svg>\n")
    return "\n".join(out)


def write_svg(poster: Poster, out: Output) -> None:
    """Write the poster as SVG to a path or a binary file object."""
    emit(svg_text(poster).encode("utf-8"), out)
