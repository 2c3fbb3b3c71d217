"""``kiosk hub import``: take the bundles a technician's stick carries, answer on it.

For each complete bundle on the stick (``reports/<village>/*.pkb``; hidden temp files
of a stick pulled mid-write are skipped): ingest it exactly as an HTTP push (one
transaction per bundle; the next bundle is unsealed while one is written), write the
signed acknowledgement next to it (``ack-<name>.pka``, atomically), then remove the
bundle. A refused bundle stays on the stick with its reason printed; the kiosk keeps
its records either way. Importing the same stick twice stores nothing twice.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ..reports import stick
from .ingest import Ingestor, Outcome


@dataclasses.dataclass(frozen=True)
class Imported:
    path: Path
    outcome: Outcome


def import_stick(ingestor: Ingestor, stick_dir: Path) -> list[Imported]:
    found = stick.find_bundles(Path(stick_dir))
    fits = [path for path in found if path.stat().st_size <= stick.MAX_FILE]
    taken = ingestor.ingest_many((path.read_bytes() for path in fits), transport="usb")
    outcomes = {}
    for path, outcome in zip(fits, taken, strict=True):
        if outcome.ok and outcome.ack is not None:  # answered as soon as it is stored
            stick.write_file(path.with_name(f"ack-{path.stem}{stick.ACK_SUFFIX}"), outcome.ack)
            path.unlink()
        outcomes[path] = outcome
    return [Imported(path, outcomes.get(path) or _too_large(path)) for path in found]


def _too_large(path: Path) -> Outcome:
    return Outcome(False, 413, f"{path.name} is larger than a bundle can be", None)
