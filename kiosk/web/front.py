"""The front door: a thin WSGI layer in front of Flask for the hot paths.

Foreign hosts (captive-portal probes) are answered or redirected here, and the
pre-rendered pages and search results (cached per query) are sent straight from
memory without entering Flask: Flask's routing and request objects would cost more
than the rest of the request. Anything else (forms, unknown paths) goes to the Flask
app.
"""

from __future__ import annotations

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
        self, app, source: SiteSource, portal: Portal, counter: DemandCounter | None = None
    ):
        self.app = app
        self.source = source
        self.portal = portal
        self.counter = counter  # demand counts, in memory (kiosk/voice/counts.py)

    def __call__(self, environ, start_response):
        response = self.respond(environ)
        if response is None:
            return self.app(environ, start_response)
        status, headers, body = response
        start_response(status, headers)
        return [body]

    def respond(self, environ) -> tuple[str, list[tuple[str, str]], bytes] | None:
        """(status, headers, body) when the answer comes from memory, else None (Flask).

        Reads only REQUEST_METHOD, PATH_INFO, QUERY_STRING, REMOTE_ADDR and the Host,
        Accept-Encoding and If-None-Match headers, so the server's fast path can call it
        with a small dict (kiosk/web/server.py)."""
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
                page = site.search_page(search_query(environ.get("QUERY_STRING", "")))
            else:
                page = site.pages.get(path)
            if page is not None:
                if self.counter is not None and environ.get("REQUEST_METHOD") == "GET":
                    self._count(site, path, environ, client)
                return page_response(environ, page)
        return None

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

    def answers_from_memory(self, method: str, path: str, query: str, host: str | None) -> bool:
        """Would this request be answered from memory, with no I/O and no rendering?

        The server uses this to answer such requests in its socket thread, skipping the
        hand-off to a worker thread (see kiosk/web/server.py)."""
        if method not in ("GET", "HEAD"):
            return False
        if not self.portal.is_own_host(host):
            return True
        if self.source.check_due():
            return False  # a worker looks at the store, and may render a new release
        site = self.source.site
        if path == "/cari":
            return site.has_search_page(search_query(query))
        return path in site.pages


def search_query(query_string: str) -> str:
    """The first ``q`` of a query string (as Flask's ``request.args.get("q", "")``)."""
    for name, value in parse_qsl(query_string, keep_blank_values=True):
        if name == "q":
            return value
    return ""
