"""Charts drawn on the server as inline SVG: no script, no CDN, readable by screen readers.

Pure functions returning markup. Each chart carries a <title> and <desc>; the pages
also show the same numbers as a table, so the chart is never the only way to read them.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

BAR_HEIGHT = 22
LABEL_WIDTH = 330
CHART_WIDTH = 760
COLORS = ("#1f5f8b", "#b35900", "#2e7d32")  # contrast ≥ 4.5:1 on white


def short(label: str, limit: int = 44) -> str:
    """A label that fits left of the bars; the full text is in <desc> and the table."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _svg(width: int, height: int, title: str, desc: str, body: list[str]) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" class="chart">'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>"
    )
    return Markup(head + "".join(body) + "</svg>")


def bar_chart(
    rows: Sequence[tuple[str, Sequence[int]]], *, title: str, series: Sequence[str]
) -> Markup:
    """Horizontal bars, one group per row label, one bar per series (e.g. lihat/cetak)."""
    peak = max((max(values, default=0) for _, values in rows), default=0) or 1
    group = BAR_HEIGHT * len(series) + 8
    height = group * len(rows) + 24
    plot = CHART_WIDTH - LABEL_WIDTH - 60
    body: list[str] = []
    for i, (label, values) in enumerate(rows):
        y = 20 + i * group
        body.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + group / 2}" text-anchor="end" '
            f'dominant-baseline="middle" font-size="13">{escape(short(label))}</text>'
        )
        for j, value in enumerate(values):
            width = round(plot * value / peak, 1)
            top = y + j * BAR_HEIGHT
            color = COLORS[j % len(COLORS)]
            body.append(
                f'<rect x="{LABEL_WIDTH}" y="{top}" width="{width}" '
                f'height="{BAR_HEIGHT - 4}" fill="{color}"/>'
                f'<text x="{LABEL_WIDTH + width + 4}" y="{top + BAR_HEIGHT / 2}" '
                f'dominant-baseline="middle" font-size="12">{value}</text>'
            )
    legend = [
        f'<rect x="{LABEL_WIDTH + k * 110}" y="2" width="12" height="12" '
        f'fill="{COLORS[k % len(COLORS)]}"/><text x="{LABEL_WIDTH + 16 + k * 110}" y="12" '
        f'font-size="12">{escape(name)}</text>'
        for k, name in enumerate(series)
    ]
    desc = "; ".join(
        f"{label}: " + ", ".join(f"{s} {v}" for s, v in zip(series, values, strict=True))
        for label, values in rows
    )
    return _svg(CHART_WIDTH, height, title, desc, legend + body)


def column_chart(points: Sequence[tuple[str, int]], *, title: str) -> Markup:
    """Vertical columns over time (weeks or months), labels under each column."""
    peak = max((v for _, v in points), default=0) or 1
    height, base, top = 220, 190, 20
    step = (CHART_WIDTH - 40) / max(len(points), 1)
    body: list[str] = [
        f'<line x1="30" y1="{base}" x2="{CHART_WIDTH - 10}" y2="{base}" stroke="#555"/>'
    ]
    for i, (label, value) in enumerate(points):
        h = round((base - top) * value / peak, 1)
        x = 34 + i * step
        body.append(
            f'<rect x="{x:.1f}" y="{base - h}" width="{max(step - 6, 2):.1f}" height="{h}" '
            f'fill="{COLORS[0]}"/>'
        )
        if len(points) <= 16 or i % 4 == 0:
            body.append(
                f'<text x="{x + step / 2:.1f}" y="{base + 16}" text-anchor="middle" '
                f'font-size="11">{escape(label)}</text>'
            )
    desc = "; ".join(f"{label}: {value}" for label, value in points)
    return _svg(CHART_WIDTH, height, title, desc, body)
