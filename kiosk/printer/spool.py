"""The spool folder: print jobs as files, shared by the web and printer processes.

One job a file (``<state>/spool/<time>-<source>-<random>.json``), written atomically,
so a job is either fully there or not at all, and survives a restart of either
process. A job is deleted only after it printed. A job that can never print is
moved to ``spool/rejected/`` with a ``.reason`` file next to it, never retried.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import SpoolJobInvalid
from ..fsutil import atomic_write_bytes, atomic_write_json, fsync_dir

log = logging.getLogger(__name__)

KINDS = ("service", "index", "ticket")  # ticket: a complaint's code (kiosk/voice)
SPOOL_LIMIT = 20  # jobs waiting at most: a day of presses must not empty the roll later
_SAFE = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Job:
    """What to print: a service's checklist or the index slip."""

    kind: str
    service: str = ""
    source: str = ""  # "web", "button:17", "cli": for logs
    created: float = 0.0  # unix time
    path: Path | None = None  # the spool file, once it has one
    ticket: str = ""  # kind "ticket": the complaint's code, nothing else about it

    def describe(self) -> str:
        what = {"service": self.service, "ticket": "ticket"}.get(self.kind, "index")
        return f"{what} (from {self.source or '?'})"


def parse_job(data: bytes) -> Job:
    """A Job from a spool file's bytes; SpoolJobInvalid says what is wrong."""
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise SpoolJobInvalid(f"not valid JSON: {exc}") from None
    if not isinstance(raw, dict):
        raise SpoolJobInvalid("not a JSON object")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise SpoolJobInvalid(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    service = raw.get("service", "")
    if kind == "service" and (not isinstance(service, str) or not service):
        raise SpoolJobInvalid("a service job needs a service id")
    ticket = raw.get("ticket", "")
    if kind == "ticket" and (not isinstance(ticket, str) or not ticket):
        raise SpoolJobInvalid("a ticket job needs a ticket code")
    source, created = raw.get("source", ""), raw.get("created", 0.0)
    if not isinstance(source, str) or not isinstance(created, (int, float)):
        raise SpoolJobInvalid("source must be text and created a number")
    return Job(
        kind=kind,
        service=service if kind == "service" else "",
        source=source,
        created=float(created),
        ticket=ticket if kind == "ticket" else "",
    )


class Spool:
    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)
        self.rejected = self.folder / "rejected"

    def _ensure(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)

    def add(self, job: Job) -> Job:
        """Write ``job`` as a new file (atomically); returns it with its path."""
        self._ensure()
        created = job.created or time.time()
        source = _SAFE.sub("-", job.source.lower()).strip("-") or "job"
        name = f"{time.time_ns():020d}-{source}-{secrets.token_hex(3)}.json"
        path = self.folder / name
        data = {"kind": job.kind, "service": job.service, "source": job.source, "created": created}
        if job.ticket:
            data["ticket"] = job.ticket
        atomic_write_json(path, data)
        return dataclasses.replace(job, created=created, path=path)

    def pending(self) -> list[Path]:
        """Job files, oldest first (temp files of writes in progress are skipped)."""
        try:
            entries = os.scandir(self.folder)
        except FileNotFoundError:
            return []
        with entries:
            names = sorted(
                e.name
                for e in entries
                if e.name.endswith(".json") and not e.name.startswith(".") and e.is_file()
            )
        return [self.folder / name for name in names]

    def count(self) -> int:
        return len(self.pending())

    def load(self, path: Path) -> Job:
        """Read a job file; SpoolJobInvalid if it is damaged (FileNotFoundError if gone)."""
        return dataclasses.replace(parse_job(path.read_bytes()), path=path)

    def done(self, job: Job) -> None:
        """The job printed: forget it."""
        if job.path is None:
            return
        try:
            job.path.unlink()
        except FileNotFoundError:
            pass
        fsync_dir(self.folder)

    def reject(self, path: Path, reason: str) -> Path:
        """Move a job that can never print to ``rejected/`` with the reason beside it."""
        self.rejected.mkdir(parents=True, exist_ok=True)
        target = self.rejected / path.name
        atomic_write_bytes(target.with_suffix(".reason"), reason.encode("utf-8") + b"\n")
        os.replace(path, target)
        fsync_dir(self.rejected)
        fsync_dir(self.folder)
        log.warning("print job %s moved to %s: %s", path.name, self.rejected, reason)
        return target
