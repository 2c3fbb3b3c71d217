"""The front door: a thin WSGI layer in front of Flask for the hot paths.

Foreign hosts (captive-portal probes) are answered or redirected here, and the
pre-rendered pages and search results (cached per query) are sent straight from
memory without entering Flask: Flask's routing and request objects would cost more
than the rest of the request. Anything else (forms, unknown paths) goes to the Flask
app.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from .portal import Portal
from .responses import page_response
from .source import SiteSource

NO_STORE = [("Cache-Control", "no-store")]


class FrontDoor:
    def __init__(self, app, source: SiteSource, portal: Portal):
        self.app = app
        self.source = source
        self.portal = portal

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO") or "/"
        client = environ.get("REMOTE_ADDR", "")
        if not self.portal.is_own_host(environ.get("HTTP_HOST")):
            answer = self.portal.answer(client, path)
            if answer is not None:
                status, content_type, body = answer
                start_response(
                    "204 No Content" if status == 204 else "200 OK",
                    [("Content-Type", content_type), ("Content-Length", str(len(body)))] + NO_STORE,
                )
                return [body]
            body = b"Redirecting to the kiosk"
            start_response(
                "302 Found",
                [
                    ("Location", self.portal.portal_url),
                    ("Content-Type", "text/plain"),
                    ("Content-Length", str(len(body))),
                ]
                + NO_STORE,
            )
            return [body]
        if environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            if path == "/selesai":
                self.portal.mark_done(client)
            site = self.source.get()
            if path == "/cari":
                page = site.search_page(search_query(environ.get("QUERY_STRING", "")))
            else:
                page = site.pages.get(path)
            if page is not None and path not in ("404", "500"):
                status, headers, body = page_response(environ, page)
                start_response(status, headers)
                return [body]
        return self.app(environ, start_response)

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
        return path in site.pages and path not in ("404", "500")


def search_query(query_string: str) -> str:
    """The first ``q`` of a query string (as Flask's ``request.args.get("q", "")``)."""
    for name, value in parse_qsl(query_string, keep_blank_values=True):
        if name == "q":
            return value
    return ""
