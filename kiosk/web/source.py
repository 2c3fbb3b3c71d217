"""Which Site to serve now: the store's current release, noticed within a second.

Web workers ask :meth:`SiteSource.get` on every request. It costs one readlink at
most once a second. When ``current`` points somewhere new, one thread renders the
new release while the others keep serving the old Site; the swap is one
assignment, so no response mixes two releases. A release that fails to load is
logged and skipped; the last good Site stays.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from ..catalog.release import bundled_release_path, load_release
from ..catalog.store import CatalogStore
from ..config import Config
from ..errors import ReleaseInvalid
from .pages import Site

log = logging.getLogger(__name__)

CHECK_INTERVAL = 1.0  # seconds between two looks at the store's ``current``


class SiteSource:
    def __init__(self, config: Config, clock=time.monotonic):
        self.config = config
        self.store = CatalogStore(config.state_path / "catalog")
        self.fallback = (
            Path(config.catalog_release) if config.catalog_release else bundled_release_path()
        )
        self.clock = clock
        self._lock = threading.Lock()
        self._checked_at = float("-inf")
        self._key: str | None = None  # store target the current Site came from, or None
        self._failed_key: str | None = None
        self.site = self._initial_site()

    def _initial_site(self) -> Site:
        target = self.store.current_target()
        if target is not None:
            site = self._try_load(target)
            if site is not None:
                self._key = target
                return site
        catalog = load_release(self.fallback)  # a broken package is a hard error
        log.info("serving fallback catalog %s (version %s)", self.fallback, catalog.version)
        return Site(catalog, self.config)

    def _try_load(self, target: str) -> Site | None:
        try:
            catalog = load_release(self.store.root / target / "catalog.json")
            return Site(catalog, self.config)
        except (ReleaseInvalid, OSError) as exc:
            if self._failed_key != target:
                log.error("cannot serve catalog %s, keeping the last good one: %s", target, exc)
            self._failed_key = target
            return None

    def check_due(self) -> bool:
        """Will the next :meth:`get` look at the store (and maybe render a release)?"""
        return self.clock() - self._checked_at >= CHECK_INTERVAL

    def get(self) -> Site:
        now = self.clock()
        if now - self._checked_at < CHECK_INTERVAL:
            return self.site
        if not self._lock.acquire(blocking=False):
            return self.site  # another thread is looking or rendering
        try:
            self._checked_at = now
            target = self.store.current_target()
            if target is not None and target != self._key and target != self._failed_key:
                site = self._try_load(target)
                if site is not None:
                    log.info("now serving catalog release %s", site.catalog.version)
                    self.site, self._key = site, target
        finally:
            self._lock.release()
        return self.site
