"""Waitress, set up for a small board that sends small cached pages.

Each setting here earned its place in a measurement; the figures are in
docs/performance.md (``bench/run`` repeats them):

- ``send_bytes``: waitress's default (1) sends every ``write`` at once, so the status
  line + headers and the body leave in two ``send()`` calls and two TCP segments.
  Buffering up to 18000 bytes lets waitress send a whole page (≤ 14 KB) in one. The
  setting is deprecated but still honoured, so it is passed only while waitress knows
  it, and its warning is silenced.
- the ``waitress.queue`` logger: it logs "Task queue depth is N" for every request
  that finds all threads busy, i.e. on every request under load; writing them costs
  throughput and would flood the journal on the SD card.
- requests answered from memory (cached pages, cached searches, portal answers) are
  answered in waitress's socket thread, straight from the cached bytes
  (:class:`InlineDispatcher`, :class:`InlineChannel`): handing each one to a worker
  thread and building a full WSGI environ cost more than the request itself. Anything
  that may block (forms, a search not yet rendered, the periodic look at the catalog
  store, errors) still goes through Flask on a worker thread, so the socket loop never
  waits on the disk. The front door's ``respond`` is the one place that decides the
  answer, for both paths.
- ``threads`` comes from the ``web_threads`` setting (default 2): the work per cached
  page is microseconds, so more threads only add GIL hand-offs.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
import warnings
from email.utils import formatdate
from typing import Any

from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer
from waitress.server import create_server as waitress_server
from waitress.task import ThreadedTaskDispatcher

from ..config import Config

SEND_BYTES = 18000

OPTIONS = {
    "ident": "pelita-kiosk",
    "channel_timeout": 30,
    "connection_limit": 200,
    "cleanup_interval": 10,
    # No proxy stands in front of the kiosk: drop X-Forwarded-* headers from phones.
    # (Said explicitly: waitress 2.1, Debian Bookworm's, warns that its default changes.)
    "clear_untrusted_proxy_headers": True,
}


def server_options(config: Config) -> dict:
    """Keyword arguments for waitress for this hall's settings."""
    options = {"threads": config.web_threads, **OPTIONS}
    if "send_bytes" in dict(Adjustments._params):
        options["send_bytes"] = SEND_BYTES
    return options


log = logging.getLogger(__name__)


class InlineChannel(HTTPChannel):
    """A connection that serves the requests the dispatcher marked as inline right after
    reading them, in the socket thread (not inside ``received``, which holds a lock that
    ``service`` takes too)."""

    reader_thread: int | None = None
    inline_pending = False

    def handle_read(self):
        self.reader_thread = threading.get_ident()
        try:
            super().handle_read()
        finally:
            self.reader_thread = None
        while self.inline_pending:
            self.inline_pending = False
            try:
                self.answer_from_memory()
            except Exception:
                log.exception("fast path failed for %r; answering the normal way", self)
                if self.requests:
                    self.service()

    def answer_from_memory(self) -> None:
        """Write the cached answer to ``requests[0]`` without a WSGI task: no environ of
        thirty keys, no header checks, no thread hand-off. Mirrors ``service()``."""
        request = self.requests[0]
        headers = request.headers
        environ = {
            "REQUEST_METHOD": request.command,
            "PATH_INFO": request.path,
            "QUERY_STRING": request.query,
            "REMOTE_ADDR": self.addr[0] if self.addr else "",
            "HTTP_HOST": headers.get("HOST"),
            "HTTP_ACCEPT_ENCODING": headers.get("ACCEPT_ENCODING", ""),
            "HTTP_IF_NONE_MATCH": headers.get("IF_NONE_MATCH", ""),
        }
        response = self.server.task_dispatcher.front.respond(environ)
        if response is None:  # the rules changed under us: the normal way
            self.service()
            return
        status, response_headers, body = response
        connection = headers.get("CONNECTION", "").lower()
        keep_alive = (
            connection != "close" if request.version == "1.1" else connection == "keep-alive"
        )
        lines = [f"HTTP/{'1.1' if request.version == '1.1' else '1.0'} {status}"]
        lines += [f"{name}: {value}" for name, value in response_headers]
        lines.append(f"Date: {_http_date()}")
        lines.append(f"Server: {self.adj.ident}")
        if request.version != "1.1" and keep_alive:
            lines.append("Connection: Keep-Alive")
        elif not keep_alive:
            lines.append("Connection: close")
        self.write_soon(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        with self.requests_lock:
            self.requests.pop(0)
            request.close()
            if not keep_alive:
                self.close_when_flushed = True
                for pending in self.requests:
                    pending.close()
                self.requests: list[Any] = []
            elif self.connected and self.requests:
                self.server.add_task(self)  # a pipelined request: to a worker
        self.last_activity = time.time()


_date_cache: list[Any] = [0, ""]


def _http_date() -> str:
    """The Date header, formatted once a second."""
    now = int(time.time())
    if _date_cache[0] != now:
        _date_cache[:] = [now, formatdate(now, usegmt=True)]
    return _date_cache[1]


class InlineDispatcher(ThreadedTaskDispatcher):
    """Waitress's worker pool, except that a request ``cheap(request)`` approves, read
    by the socket thread, is served by that thread at once (see :class:`InlineChannel`)."""

    def __init__(self, front):
        super().__init__()
        self.front = front
        self.inline_count = 0

    def cheap(self, request) -> bool:
        return self.front.answers_from_memory(
            request.command, request.path, request.query, request.headers.get("HOST")
        )

    def add_task(self, task):
        if getattr(task, "reader_thread", None) == threading.get_ident():
            request = task.requests[0]
            try:
                inline = not request.error and self.cheap(request)
            except Exception:  # a strange request: let a worker deal with it
                inline = False
            if inline:
                self.inline_count += 1
                task.inline_pending = True
                return
        super().add_task(task)


def create_server(app, config: Config, sockets: list[socket.socket] | None = None):
    """A waitress server for ``app`` on ``sockets`` (systemd) or config.host:config.port."""
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    where = {"sockets": sockets} if sockets else {"host": config.host, "port": config.port}
    front = getattr(app, "wsgi_app", None)
    extra = {}
    if hasattr(front, "answers_from_memory"):
        dispatcher = InlineDispatcher(front)
        dispatcher.set_thread_count(config.web_threads)
        extra["_dispatcher"] = dispatcher
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # send_bytes, see above
        server = waitress_server(app, **server_options(config), **where, **extra)
    if extra:
        # One listening server, or several (one per socket) registered in the map.
        for listener in [server, *getattr(server, "map", {}).values()]:
            if isinstance(listener, BaseWSGIServer):
                listener.channel_class = InlineChannel
    return server
