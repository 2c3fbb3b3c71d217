"""Waitress, set up for an open hotspot: plain waitress plus the limits one hostile
phone needs.

Every request goes through waitress's own machinery and the WSGI front door
(kiosk/web/front.py), which sends the pre-rendered pages from memory. What is set here:

- request sizes (waitress settings): headers up to 8 KB (else waitress answers 431),
  a body up to 16 KB, the residents' forms' limit (else 413, a plain page, before the
  body is read);
- ``connection_limit`` for all phones together, ``channel_timeout`` for idle keep-alive
  connections;
- two limits waitress lacks, in :class:`GuardedChannel`: a per-address cap on open
  connections, and a deadline by which a started request must be complete (slowloris:
  dripping a byte every few seconds would otherwise hold a connection for ever, because
  every byte resets waitress's ``channel_timeout``). The deploy guard adds the same
  per-address cap in the kernel (deploy/nft/kiosk-guard.nft);
- the ``waitress.queue`` logger is quiet: it logs "Task queue depth is N" for every
  request that finds all threads busy, which would flood the journal on the SD card;
- ``threads`` comes from the ``web_threads`` setting (default 3); searches may use all
  but one of them (kiosk/web/front.py), so pages never queue behind a search flood.

Checked against waitress 2.1 (Debian Bookworm) and 3.x; ``GuardedChannel`` overrides
only ``__init__``, ``received`` and ``readable``, whose signatures both share.
"""

from __future__ import annotations

import logging
import socket
import time
from dataclasses import dataclass

from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer
from waitress.server import create_server as waitress_server

from ..config import Config

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    """What one client may hold of the server."""

    per_client: int = 16  # open connections from one address (a phone opens about 6)
    request_seconds: float = 10.0  # from a request's first byte to its last
    header_bytes: int = 8 * 1024
    body_bytes: int = 16 * 1024  # the residents' forms (kiosk/web/__init__.py MAX_FORM_BYTES)
    connections: int = 200  # all clients together
    idle_seconds: int = 30  # an idle keep-alive connection


def server_options(config: Config, limits: Limits) -> dict:
    """Keyword arguments for waitress (its public settings) for this hall."""
    return {
        "threads": config.web_threads,
        "ident": "pelita-kiosk",
        "connection_limit": limits.connections,
        "channel_timeout": limits.idle_seconds,
        "cleanup_interval": 5,
        "max_request_header_size": limits.header_bytes,
        "max_request_body_size": limits.body_bytes,
        # No proxy in front; set, because waitress 2.1 warns when it is left unset.
        "clear_untrusted_proxy_headers": True,
    }


class GuardedChannel(HTTPChannel):
    """A waitress connection that refuses to be one too many from its address, and
    closes itself when a request (or the first one) takes longer than the deadline."""

    limits = Limits()

    def __init__(self, server, sock: socket.socket, addr, adj, map=None) -> None:
        super().__init__(server, sock, addr, adj, map)
        # Time the request being read started; the first one counts from the connect.
        self.reading_since: float | None = time.monotonic()
        if self._others_from_same_address() >= self.limits.per_client:
            log.debug("refusing connection: %d open from one address", self.limits.per_client)
            self.handle_close()

    def _others_from_same_address(self) -> int:
        host = self.addr[0] if self.addr else None
        return sum(
            1
            for other in self._map.values()
            if other is not self and isinstance(other, HTTPChannel) and other.addr
            if other.addr[0] == host and other.connected
        )

    def received(self, data):
        before = self.request
        result = super().received(data)
        if self.request is None:
            self.reading_since = None  # between requests: channel_timeout applies
        elif self.request is not before:
            self.reading_since = time.monotonic()
        return result

    def readable(self):
        # Called by the socket loop on every turn (at least once a second).
        since = self.reading_since
        if since is not None and time.monotonic() - since > self.limits.request_seconds:
            self.reading_since = None
            self.will_close = True  # writable() now says yes and handle_write closes
        return super().readable()


def create_server(
    app, config: Config, sockets: list[socket.socket] | None = None, limits: Limits | None = None
):
    """A waitress server for ``app`` on ``sockets`` (systemd) or config.host:config.port."""
    limits = limits or Limits()
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    where = {"sockets": sockets} if sockets else {"host": config.host, "port": config.port}
    server = waitress_server(app, **server_options(config, limits), **where)
    channel = type("GuardedChannel", (GuardedChannel,), {"limits": limits})
    # One listening server, or several (one per socket) registered in the shared map.
    for listener in [server, *getattr(server, "map", {}).values()]:
        if isinstance(listener, BaseWSGIServer):
            listener.channel_class = channel
    return server
