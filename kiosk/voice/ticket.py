"""Complaint ticket codes: short, easy to read aloud and type, with a check character.

Eight characters from Crockford's base32 alphabet (no I, L, O or U), shown as
``ABCD-EFGH``: seven random (35 bits; guessing a code through the kiosk's rate limits
is hopeless) and one check character (Luhn mod 32), so a mistyped code is told apart
from an unanswered one. Typing is forgiving: case, spaces and dashes are ignored, and
O/I/L read as 0/1/1.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_CHARS = 7
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def _check_char(body: str) -> str:
    """Luhn mod N (N = 32): catches every single-character error and most swaps."""
    total, factor = 0, 2
    for char in reversed(body):
        addend = factor * _VALUE[char]
        total += addend // 32 + addend % 32
        factor = 1 if factor == 2 else 2
    return ALPHABET[(32 - total % 32) % 32]


def new_ticket() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_CHARS))
    return format_ticket(body + _check_char(body))


def format_ticket(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def parse_ticket(text: str) -> str | None:
    """The canonical ``ABCD-EFGH`` for what a resident typed, or None if it is not a
    valid code (wrong length, a letter outside the alphabet, or a failed check)."""
    code = "".join(text.split()).replace("-", "").upper().translate(_LOOKALIKES)
    if len(code) != RANDOM_CHARS + 1 or any(c not in _VALUE for c in code):
        return None
    if _check_char(code[:-1]) != code[-1]:
        return None
    return format_ticket(code)
