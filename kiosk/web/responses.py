"""Turn a cached Page into HTTP: gzip when asked, strong ETags, 304 on revalidation."""

from __future__ import annotations

from flask import Response, request

from .pages import Page

# Pages change only with a new release: let the phone keep them but ask each time.
CACHE_CONTROL = "no-cache"


def page_response(environ: dict, page: Page) -> tuple[str, list[tuple[str, str]], bytes]:
    """(status line, headers, body) for ``page`` answering the request in ``environ``."""
    wants_gzip = "gzip" in environ.get("HTTP_ACCEPT_ENCODING", "")
    etag = page.etag[:-1] + '-gz"' if wants_gzip else page.etag
    headers = [
        ("Content-Type", page.content_type),
        ("ETag", etag),
        ("Cache-Control", CACHE_CONTROL),
        ("Vary", "Accept-Encoding"),
        ("X-Content-Type-Options", "nosniff"),
    ]
    inm = environ.get("HTTP_IF_NONE_MATCH", "")
    if page.status == 200 and inm and (inm.strip() == "*" or etag in _tags(inm)):
        return "304 Not Modified", headers, b""
    body = page.gzipped if wants_gzip else page.body
    if wants_gzip:
        headers.append(("Content-Encoding", "gzip"))
    headers.append(("Content-Length", str(len(body))))
    if environ.get("REQUEST_METHOD") == "HEAD":
        body = b""
    return _STATUS[page.status], headers, body


def send(page: Page) -> Response:
    """``page`` as Flask's answer to the current request (error pages, form results)."""
    status, headers, body = page_response(request.environ, page)
    return Response(body, status=status, headers=headers)


def _tags(header: str) -> set[str]:
    return {t.strip().removeprefix("W/") for t in header.split(",")}


_STATUS = {
    200: "200 OK",
    400: "400 Bad Request",
    403: "403 Forbidden",
    404: "404 Not Found",
    413: "413 Content Too Large",
    500: "500 Internal Server Error",
    429: "429 Too Many Requests",
    503: "503 Service Unavailable",
}
