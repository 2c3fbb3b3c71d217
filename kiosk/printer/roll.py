"""How much of the paper roll is left, counted from the bytes the printer was sent.

Most cheap printers cannot tell that the roll is running out, so the daemon counts:
each slip's length on paper (paper.py) is added to the paper used since the roll was
last changed. A technician marks a new roll with ``kiosk printer new-roll`` or by
holding a button (docs/printer.md). What is left is the roll length (setting
``roll_length_m``) minus what was used; below ``paper_low_mm`` the kiosk says
"kertas hampir habis" (status, LED, health record).

The count lives in ``<state>/paper-roll.json``, written atomically after every slip,
so it survives restarts and power cuts. The daemon and ``kiosk printer new-roll``
both read it fresh before changing it: the file is the only copy.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..config import Config
from ..fsutil import atomic_write_json

log = logging.getLogger(__name__)

FILE_NAME = "paper-roll.json"


@dataclass(frozen=True)
class RollState:
    """Paper used since the roll was changed, and what that leaves."""

    used_mm: float
    slips: int
    since: str | None  # when the roll was marked new (ISO time), None if never
    length_mm: int
    low_mm: int

    @property
    def left_mm(self) -> float:
        return max(0.0, self.length_mm - self.used_mm)

    @property
    def low(self) -> bool:
        return self.left_mm <= self.low_mm

    def fields(self) -> dict[str, int | bool | str | None]:
        """The printer status file's paper fields (read by the health record)."""
        return {
            "paper_used_mm": round(self.used_mm),
            "paper_left_mm": round(self.left_mm),
            "paper_low": self.low,
            "roll_changed": self.since,
            "slips_on_roll": self.slips,
        }

    def describe(self) -> str:
        """The ``paper:`` line of ``kiosk status``."""
        since = f"since {self.since}" if self.since else "since counting began (no new roll marked)"
        text = (
            f"about {self.left_mm / 1000:.1f} m of {self.length_mm / 1000:g} m left "
            f"({self.used_mm / 1000:.1f} m used by {self.slips} slips {since})"
        )
        return f"!! paper: {self.summary()} {text}" if self.low else f"paper: {text}"

    def summary(self) -> str:
        """One sentence for ``kiosk status`` when paper is low, else ''."""
        if not self.low:
            return ""
        return (
            f"Paper low (kertas hampir habis): about {self.left_mm / 1000:.1f} m left. "
            "Load a new roll, then run 'kiosk printer new-roll' (or hold a button 10 s)."
        )


class Roll:
    """The roll counter in ``<state>/paper-roll.json``."""

    def __init__(self, path: Path, length_mm: int, low_mm: int):
        self.path = path
        self.length_mm = length_mm
        self.low_mm = low_mm
        self._lock = threading.Lock()
        self._seen: tuple[int, int, int] | None = None  # (inode, mtime, size) of the cache
        self._cached: RollState | None = None

    @classmethod
    def for_config(cls, config: Config) -> Roll:
        return cls(config.state_path / FILE_NAME, config.roll_length_m * 1000, config.paper_low_mm)

    def state(self) -> RollState:
        """The count as the file has it (a missing or damaged file: a full roll)."""
        used, slips, since = 0.0, 0, None
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            used = float(data["used_mm"])
            slips = int(data.get("slips", 0))
            since = data.get("since") if isinstance(data.get("since"), str) else None
        except FileNotFoundError:
            pass
        except (OSError, ValueError, TypeError, KeyError) as exc:
            log.warning("paper roll count %s unreadable (%s); counting from zero", self.path, exc)
        return RollState(max(0.0, used), max(0, slips), since, self.length_mm, self.low_mm)

    def current(self) -> RollState:
        """:meth:`state`, re-read only when the file changed (cheap enough to call often)."""
        try:
            info = self.path.stat()
            seen: tuple[int, int, int] | None = (info.st_ino, info.st_mtime_ns, info.st_size)
        except OSError:
            seen = None
        if self._cached is None or seen != self._seen:
            self._cached, self._seen = self.state(), seen
        return self._cached

    def _write(self, state: RollState) -> RollState:
        data = {"used_mm": round(state.used_mm, 1), "slips": state.slips, "since": state.since}
        atomic_write_json(self.path, data)
        return state

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """One writer at a time, across processes (the daemon and ``new-roll``)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Read-only: a lock file made by another user (root running new-roll) still opens.
        fd = os.open(self.path.with_suffix(".lock"), os.O_RDONLY | os.O_CREAT, 0o644)
        try:
            with self._lock:
                fcntl.flock(fd, fcntl.LOCK_EX)
                yield
        finally:
            os.close(fd)

    def add(self, mm: float) -> RollState:
        """Count one slip of ``mm`` millimetres."""
        with self._locked():
            old = self.state()
            new = RollState(old.used_mm + mm, old.slips + 1, old.since, old.length_mm, old.low_mm)
            return self._write(new)

    def new_roll(self) -> RollState:
        """A full roll was just loaded."""
        with self._locked():
            now = datetime.now(UTC).isoformat(timespec="seconds")
            log.info("new paper roll marked (%d m)", self.length_mm // 1000)
            return self._write(RollState(0.0, 0, now, self.length_mm, self.low_mm))
