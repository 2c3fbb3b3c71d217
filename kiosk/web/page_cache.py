"""A few pages made on demand (search results, one-service survey forms), kept while
they are asked for: the most recently used ones, at most ``size``. Shared by the
worker threads of one Site."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .pages import Page


class PageCache:
    def __init__(self, size: int, on_evict: Callable[[str], None] | None = None):
        self.size = size
        self.on_evict = on_evict  # told each key that falls out
        self._pages: OrderedDict[str, Page] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Page | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: str, page: Page) -> Page:
        """Keep ``page`` under ``key`` (dropping the least recently used); returns it."""
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                gone, _ = self._pages.popitem(last=False)
                if self.on_evict is not None:
                    self.on_evict(gone)
        return page
