"""Turn any catalog text into characters every ESC/POS code page prints the same: ASCII.

Cheap printers differ in code pages (CP437, CP858, GB18030 clones…), but all agree on
printable ASCII. Text pasted from Word brings dashes, curly quotes and accents; they are
spelled out here instead of coming out as garbage.
"""

from __future__ import annotations

import unicodedata

REPLACEMENTS = {
    "\u2013": "-",  # – en dash
    "\u2014": "-",  # — em dash
    "\u2012": "-",
    "\u2010": "-",
    "\u2011": "-",
    "\u2212": "-",  # − minus
    "\u00b1": "+/-",
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u2032": "'",
    "\u00b4": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2033": '"',
    "\u2026": "...",
    "\u2022": "*",
    "\u00b7": "*",
    "\u00d7": "x",
    "\u00f7": ":",
    "\u00b0": " derajat",
    "\u2044": "/",
    "\u00a0": " ",
    "\u2009": " ",
    "\u202f": " ",
    "\u200b": "",
    "\u00ad": "",
    "\u2192": "->",
    "\u00bd": "1/2",
    "\u00bc": "1/4",
    "\u00be": "3/4",
    "\u00df": "ss",
    "\u00e6": "ae",
    "\u00c6": "AE",
    "\u00f8": "o",
    "\u00d8": "O",
    "\u0142": "l",
    "\u00a9": "(c)",
    "\u00ae": "(R)",
    "\u2122": "TM",
    "\u20ac": "EUR",
    "\u00b2": "2",
    "\u00b3": "3",
    "\t": " ",
}

UNKNOWN = "?"


def to_printable(text: str) -> str:
    """ASCII version of ``text``: known symbols spelled out, accents dropped, rest '?'."""
    out = []
    for char in text:
        if " " <= char <= "~":
            out.append(char)
            continue
        if char in REPLACEMENTS:
            out.append(REPLACEMENTS[char])
            continue
        if char in "\r\n":
            out.append(" ")
            continue
        decomposed = unicodedata.normalize("NFKD", char)
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        if base and all(" " <= c <= "~" for c in base):
            out.append(base)
        elif base and all(c in REPLACEMENTS for c in base):
            out.append("".join(REPLACEMENTS[c] for c in base))
        elif unicodedata.category(char).startswith(("C", "M")):
            continue  # control or stray combining mark: nothing to print
        else:
            out.append(UNKNOWN)
    return "".join(out)
