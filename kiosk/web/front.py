"""The front door: a thin WSGI layer in front of Flask for the hot paths.

Foreign hosts (captive-portal probes) are answered or redirected here, and the
pre-rendered pages and search results (cached per query) are sent straight from
memory without entering Flask: Flask's routing and request objects would cost more
than the rest of the request. Anything else (forms, unknown paths) goes to the Flask
app.
"""

from __future__ import annotations

import threading
from urllib.parse import parse_qsl

from ..voice.counts import DemandCounter
from .pages import Page
from .portal import Portal
from .responses import page_response
from .source import SiteSource

NO_STORE = [("Cache-Control", "no-store")]


def _unless_head(environ, body: bytes) -> bytes:
    """A HEAD request gets the headers (Content-Length included) and no body."""
    return b"" if environ.get("REQUEST_METHOD") == "HEAD" else body


class FrontDoor:
    def __init__(
        self,
        app,
        source: SiteSource,
        portal: Portal,
        counter: DemandCounter | None = None,
        search_slots: int = 1,
    ):
        self.app = app
        self.source = source
        self.portal = portal
        self.counter = counter  # demand counts, in memory (kiosk/voice/counts.py)
        # Searches not rendered yet run in at most this many threads at once, so one
        # worker thread always stays free for the pages (a search flood waits no page).
        self.search_slots = threading.BoundedSemaphore(search_slots)

    def __call__(self, environ, start_response):
        response = self.respond(environ)
        if response is None:
            return self.app(environ, start_response)
        status, headers, body = response
        start_response(status, headers)
        return [body]

    def respond(self, environ) -> tuple[str, list[tuple[str, str]], bytes] | None:
        """(status, headers, body) when the answer comes from memory, else None (Flask)."""
        path = environ.get("PATH_INFO") or "/"
        client = environ.get("REMOTE_ADDR", "")
        if not self.portal.is_own_host(environ.get("HTTP_HOST")):
            answer = self.portal.answer(client, path)
            if answer is not None:
                status, content_type, body = answer
                return (
                    "204 No Content" if status == 204 else "200 OK",
                    [("Content-Type", content_type), ("Content-Length", str(len(body)))] + NO_STORE,
                    _unless_head(environ, body),
                )
            if self.counter is not None:
                self.counter.portal_opened(client)
            body = b"Redirecting to the kiosk"
            headers = [
                ("Location", self.portal.portal_url),
                ("Content-Type", "text/plain"),
                ("Content-Length", str(len(body))),
            ]
            return "302 Found", headers + NO_STORE, _unless_head(environ, body)
        if environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            if path == "/selesai":
                self.portal.mark_done(client)
            site = self.source.get()
            page: Page | None
            if path == "/cari":
                page = self.search(site, search_query(environ.get("QUERY_STRING", "")))
            else:
                page = site.page(path)
            if page is not None:
                if self.counter is not None and environ.get("REQUEST_METHOD") == "GET":
                    self._count(site, path, environ, client)
                return page_response(environ, page)
        return None

    def search(self, site, query: str) -> Page:
        """The results page; a plain "busy, try again" (503) when every search slot is
        taken, rather than a page request waiting behind searches."""
        page = site.cached_search_page(query)
        if page is not None:
            return page
        if not self.search_slots.acquire(blocking=False):
            return site.search_busy
        try:
            return site.search_page(query)
        finally:
            self.search_slots.release()

    def _count(self, site, path: str, environ, client: str) -> None:
        """Demand counts for one page served: views, portal opens, empty searches."""
        assert self.counter is not None
        if path.startswith("/layanan/"):
            self.counter.add(path[len("/layanan/") :], "view")
        elif path == "/":
            self.counter.portal_opened(client)
        elif path == "/cari":
            query = search_query(environ.get("QUERY_STRING", ""))
            if query.strip() and site.found_nothing(query):
                self.counter.search_found_nothing(query)


def search_query(query_string: str) -> str:
    """The first ``q`` of a query string (as Flask's ``request.args.get("q", "")``)."""
    for name, value in parse_qsl(query_string, keep_blank_values=True):
        if name == "q":
            return value
    return ""
