"""Text width, wrapping and shrink-to-fit, measured in Helvetica's own widths.

The PDF uses the standard Helvetica font, the PNG Liberation Sans and the SVG
names Helvetica/Arial/Liberation Sans: all three share these widths, so a line
measured here fits on every output.
"""

from __future__ import annotations

import unicodedata

from .metrics_data import BOLD, REGULAR

PT_MM = 25.4 / 72


def winansi(text: str) -> str:
    """The text as the standard PDF fonts can show it: accents kept where WinAnsi has
    them, otherwise dropped (ā → a); anything else becomes ``?``."""
    out = []
    for ch in text:
        if ch in REGULAR:
            out.append(ch)
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if c in REGULAR)
        out.append(base or ("" if unicodedata.category(ch).startswith("M") else "?"))
    return "".join(out)


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in mm of ``text`` at ``size`` pt."""
    table = BOLD if bold else REGULAR
    units = sum(table.get(ch, 556) for ch in winansi(text))
    return units / 1000 * size * PT_MM


SOFT_BREAKS = "/-._?&="  # a long address may break after one of these


def _split_word(word: str, size: float, bold: bool, max_width: float) -> tuple[list[str], bool]:
    """Pieces of a word too wide for a line, broken after a soft-break character
    where possible; → (pieces, True if a piece had to break between letters)."""
    pieces, hard = [], False
    while word and text_width(word, size, bold) > max_width:
        cut = 1
        while cut < len(word) and text_width(word[: cut + 1], size, bold) <= max_width:
            cut += 1
        soft = max((i + 1 for i, ch in enumerate(word[:cut]) if ch in SOFT_BREAKS), default=0)
        if soft and soft < len(word):
            cut = soft
        else:
            hard = True
        pieces.append(word[:cut])
        word = word[cut:]
    return pieces + [word] if word else pieces, hard


def wrap_checked(text: str, size: float, bold: bool, max_width: float) -> tuple[list[str], bool]:
    """Greedy word wrap; → (lines, True if a word had to break between letters)."""
    lines: list[str] = []
    current = ""
    hard = False
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold) <= max_width:
            current = candidate
            continue
        if current:
            lines.append(current)
        if text_width(word, size, bold) <= max_width:
            current = word
        else:
            pieces, broke = _split_word(word, size, bold, max_width)
            hard = hard or broke
            *full, current = pieces
            lines.extend(full)
    if current:
        lines.append(current)
    return lines or [""], hard


def wrap(text: str, size: float, bold: bool, max_width: float) -> list[str]:
    """Greedy word wrap; a word wider than the line breaks after ``/``, ``-``, ``.``
    and the like, or else between letters."""
    return wrap_checked(text, size, bold, max_width)[0]


def fit(
    text: str,
    *,
    bold: bool,
    max_width: float,
    max_size: float,
    min_size: float,
    max_lines: int = 1,
) -> tuple[float, list[str]]:
    """The largest size (in 0.5 pt steps) at which ``text`` wraps into ``max_lines``
    lines without breaking a word between letters; failing that, ``min_size``."""
    size = max_size
    while size >= min_size:
        lines, hard = wrap_checked(text, size, bold, max_width)
        if len(lines) <= max_lines and not hard:
            return size, lines
        size -= 0.5
    return min_size, wrap(text, min_size, bold, max_width)
