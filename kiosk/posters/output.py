"""Where a writer's bytes go: a path (written atomically) or an open binary file."""

from __future__ import annotations

import os
from typing import BinaryIO

from ..fsutil import atomic_write_bytes

Output = str | os.PathLike | BinaryIO


def emit(data: bytes, out: Output) -> None:
    if hasattr(out, "write"):
        out.write(data)
    else:
        atomic_write_bytes(out, data)


def runs(row) -> list[tuple[int, int]]:
    """(start, length) of each run of dark modules in a QR row."""
    found, start = [], None
    for i, dark in enumerate(list(row) + [False]):
        if dark and start is None:
            start = i
        elif not dark and start is not None:
            found.append((start, i - start))
            start = None
    return found
