"""``kiosk hub import``: take the bundles a technician's stick carries, answer on it.

For each complete bundle on the stick (``reports/<village>/*.pkb``; hidden temp files
of a stick pulled mid-write are skipped): ingest it exactly as an HTTP push, write the
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
    out = []
    for path in found:
        size = path.stat().st_size
        if size > stick.MAX_FILE:
            outcome = Outcome(False, 413, f"{path.name} is larger than a bundle can be", None)
        else:
            outcome = ingestor.ingest(path.read_bytes(), transport="usb")
        if outcome.ok and outcome.ack is not None:
            stick.write_file(path.with_name(f"ack-{path.stem}{stick.ACK_SUFFIX}"), outcome.ack)
            path.unlink()
        out.append(Imported(path, outcome))
    return out
