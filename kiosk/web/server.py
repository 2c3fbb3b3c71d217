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
- ``threads`` comes from the ``web_threads`` setting (default 2): the work per cached
  page is microseconds, so more threads only add GIL hand-offs (4 threads: about 20%
  fewer requests/s than 2).
"""

from __future__ import annotations

import logging
import socket
import warnings

from waitress.adjustments import Adjustments
from waitress.server import create_server as waitress_server

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


def create_server(app, config: Config, sockets: list[socket.socket] | None = None):
    """A waitress server for ``app`` on ``sockets`` (systemd) or config.host:config.port."""
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    where = {"sockets": sockets} if sockets else {"host": config.host, "port": config.port}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # send_bytes, see above
        return waitress_server(app, **server_options(config), **where)
