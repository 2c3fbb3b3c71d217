"""Which Site to serve now: the active catalog release, noticed within a second.

Web workers ask :meth:`SiteSource.get` on every request. It looks at the store (one
readlink, through :class:`~kiosk.catalog.active.CurrentCatalog`) at most once a
second. When a new release is active, one thread renders it while the others keep
serving the old Site; the swap is one assignment, so no response mixes two releases.
A release that fails to load or to render is logged and skipped; the last good Site
stays.
"""

from __future__ import annotations

import logging
import threading
import time

from ..catalog.active import CurrentCatalog
from ..catalog.model import Catalog
from ..config import Config
from .pages import Site

log = logging.getLogger(__name__)

CHECK_INTERVAL = 1.0  # seconds between two looks at the store's ``current``


class SiteSource:
    def __init__(self, config: Config, clock=time.monotonic):
        self.config = config
        self.catalogs = CurrentCatalog(config)
        self.clock = clock
        self._lock = threading.Lock()
        self._checked_at = float("-inf")
        self._failed: Catalog | None = None  # a catalog whose Site could not be rendered
        self.site = Site(self.catalogs.get(), config)
        log.info("serving catalog version %s", self.site.catalog.version)

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
            catalog = self.catalogs.get()
            if catalog is not self.site.catalog and catalog is not self._failed:
                try:
                    site = Site(catalog, self.config)
                except Exception:
                    log.exception(
                        "cannot render catalog version %s; keeping the last good one",
                        catalog.version,
                    )
                    self._failed = catalog
                else:
                    log.info("now serving catalog version %s", catalog.version)
                    self.site = site
        finally:
            self._lock.release()
        return self.site
