"""The catalog the printer prints from: the store's current release, else the fallback.

The printer daemon runs for weeks while releases change under it; it checks the
``current`` symlink (one readlink) before each slip and reloads only when it moved.
A release that fails to load is logged and the last good catalog kept.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from ..catalog.model import Catalog
from ..catalog.release import bundled_release_path, load_release
from ..catalog.store import CatalogStore
from ..config import Config
from ..errors import ReleaseInvalid

log = logging.getLogger(__name__)


class CurrentCatalog:
    def __init__(self, config: Config):
        self.store = CatalogStore(config.state_path / "catalog")
        self.fallback = (
            Path(config.catalog_release) if config.catalog_release else bundled_release_path()
        )
        self._lock = threading.Lock()
        self._key: str | None = None
        self._catalog: Catalog | None = None

    def get(self) -> Catalog:
        with self._lock:
            target = self.store.current_target()
            key = target or f"fallback:{self.fallback}"
            if key != self._key or self._catalog is None:
                try:
                    path = self.store.root / target / "catalog.json" if target else self.fallback
                    self._catalog = load_release(path)
                    self._key = key
                except (ReleaseInvalid, OSError) as exc:
                    if self._catalog is None:
                        self._catalog = load_release(self.fallback)
                    log.error(
                        "cannot load catalog %s, printing from the last good one: %s", key, exc
                    )
                    self._key = key
            return self._catalog
