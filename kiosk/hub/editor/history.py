"""Every published release, with who published it and the sources it was built from.

``HUB_DIR/history/<version>.json`` (written atomically, never changed) holds the release
bytes (for diffs and roll-backs, long after the TUF folder pruned them) and the YAML
sources (a roll-back writes them back, so ``catalog/`` always equals what is published).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...catalog.model import Catalog
from ...catalog.release import parse_release
from ...fsutil import atomic_write_bytes


@dataclass(frozen=True)
class Release:
    version: int
    published_at: str  # ISO 8601, UTC
    published_by: str
    sha256: str
    release: str  # the release JSON, exactly as signed
    sources: dict[str, str]  # catalog/ file name → YAML text
    rollback_of: int | None = None  # the version whose content this re-publishes

    def catalog(self) -> Catalog:
        return parse_release(self.release.encode("utf-8"), f"release {self.version}")

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


class History:
    def __init__(self, hub_dir: str | Path):
        self.dir = Path(hub_dir) / "history"

    def _path(self, version: int) -> Path:
        return self.dir / f"{version:06d}.json"

    def record(self, release: Release) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        data = json.dumps(release.to_json(), ensure_ascii=False, sort_keys=True, indent=1)
        atomic_write_bytes(self._path(release.version), data.encode("utf-8"))

    def get(self, version: int) -> Release | None:
        try:
            data = json.loads(self._path(version).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        return Release(**data)

    def versions(self) -> list[int]:
        if not self.dir.is_dir():
            return []
        return sorted(int(p.stem) for p in self.dir.glob("*.json") if p.stem.isdigit())

    def latest(self) -> Release | None:
        versions = self.versions()
        return self.get(versions[-1]) if versions else None

    def all(self, newest: int | None = None) -> list[Release]:
        """Newest first; only the ``newest`` few when given."""
        versions = self.versions()
        if newest is not None:
            versions = versions[-newest:]
        return [r for v in reversed(versions) if (r := self.get(v)) is not None]
