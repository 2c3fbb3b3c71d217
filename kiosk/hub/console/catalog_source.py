"""The catalog the console names services and villages by: the newest release this hub
published (``public/targets/*.catalog.json``), else the catalog bundled with the package.
Re-read only when a newer release file appears."""

from __future__ import annotations

import threading
from pathlib import Path

from ...catalog.model import Catalog
from ...catalog.release import bundled_release_path, load_release
from ...errors import ReleaseInvalid


class HubCatalog:
    def __init__(self, hub_dir: Path):
        self.targets = hub_dir / "public" / "targets"
        self._lock = threading.Lock()
        self._key: tuple[str, float] | None = None
        self._catalog: Catalog | None = None

    def _newest(self) -> Path:
        releases = sorted(
            self.targets.glob("*.catalog.json"), key=lambda p: p.stat().st_mtime, reverse=True
        )
        return releases[0] if releases else bundled_release_path()

    def __call__(self) -> Catalog:
        path = self._newest()
        key = (str(path), path.stat().st_mtime)
        with self._lock:
            if key != self._key or self._catalog is None:
                try:
                    self._catalog = load_release(path)
                except ReleaseInvalid:
                    self._catalog = load_release(bundled_release_path())
                self._key = key
            return self._catalog
