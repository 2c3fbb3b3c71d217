"""The catalog a kiosk shows: the store's current release, else the fallback release.

The fallback is the ``catalog_release`` setting or the release bundled with the
package. The web and the printer daemon run for weeks while releases change under
them; :class:`CurrentCatalog` checks the ``current`` symlink (one readlink) and reloads
only when it moved. A release that fails to load is logged and the last good catalog
kept. Posters, ``kiosk status`` and ``kiosk doctor`` ask the same question once.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from ..config import Config
from ..errors import ReleaseInvalid
from .model import Catalog
from .release import bundled_release_path, load_release
from .store import CatalogStore

log = logging.getLogger(__name__)


def fallback_release_path(config: Config) -> Path:
    """The release served while the store holds none."""
    return Path(config.catalog_release) if config.catalog_release else bundled_release_path()


def load_active_catalog(config: Config) -> Catalog:
    """The catalog this kiosk serves right now (for one-off commands)."""
    return CurrentCatalog(config).get()


class CurrentCatalog:
    """Follows the store's ``current`` release; see the module docstring."""

    def __init__(self, config: Config):
        self.store = CatalogStore(config.state_path / "catalog")
        self.fallback = fallback_release_path(config)
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
