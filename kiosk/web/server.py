"""Waitress, set up for a small board that sends small cached pages.

Measured with ``bench/run`` (docs/performance.md); each setting here earned its place:

- ``send_bytes``: waitress's default (1) sends every ``write`` at once, so the status
  line + headers and the body leave in two ``send()`` calls and two TCP segments.
  Buffering up to 18000 bytes lets waitress send a whole page (≤ 14 KB) in one; with
  the quiet queue logger below this took the service page at 16 connections from
  about 4,700 to 9,000–12,000 requests/s and its p99 from 120 ms to under 10 ms. The
  setting is deprecated but still honoured, so it is passed only while waitress knows
  it, and its warning is silenced.
- the ``waitress.queue`` logger: it logs "Task queue depth is N" for every request
  that finds all threads busy, i.e. on every request under load (28,000 lines in 12 s
  here). Writing them cost about a third of the throughput and would flood the
  journal on the SD card.
- requests answered from memory (cached pages, cached searches, portal answers) run
  in waitress's socket thread (:class:`InlineDispatcher`): handing each one to a worker
  thread and back cost more than the request itself. Anything that may block (forms,
  a search not yet rendered, the periodic look at the catalog store) still goes to a
  worker thread, so the socket loop never waits on the disk.
- ``threads`` comes from the ``web_threads`` setting (default 2): the work per cached
  page is microseconds, so more threads only add GIL hand-offs (4 threads: about 20%
  fewer requests/s than 2).
"""

from __future__ import annotations

import logging
import socket
import warnings

import threading

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
                self.service()
            except BaseException:
                log.exception("Exception when servicing %r", self)


class InlineDispatcher(ThreadedTaskDispatcher):
    """Waitress's worker pool, except that a request ``cheap(request)`` approves, read
    by the socket thread, is served by that thread at once (see :class:`InlineChannel`)."""

    def __init__(self, cheap):
        super().__init__()
        self.cheap = cheap
        self.inline_count = 0

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
        dispatcher = InlineDispatcher(
            lambda r: front.answers_from_memory(r.command, r.path, r.query, r.headers.get("HOST"))
        )
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
