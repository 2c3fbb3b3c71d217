"""Captive-portal behaviour: be the page a phone opens after joining the hotspot.

The hotspot's DNS answers every name with the kiosk, so the phones' connectivity
checks (probes) arrive here with a foreign Host. Any request for a foreign host is
redirected to the portal, which makes the phone open its sign-in sheet on the
kiosk's home page. When the resident taps "Selesai" (``/selesai``), their phone
(by IP address) gets its OS's "online" answer for a while, so iOS shows "Done"
instead of dropping the Wi-Fi and Android stops nagging (the Kiwix pattern; see
docs/captive-portal.md).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

APPLE_SUCCESS = b"<HTML><HEAD><TITLE>Success</TITLE></HEAD><BODY>Success</BODY></HTML>"

# path → (status, content type, body) of each OS's "you are online" answer.
SUCCESS_ANSWERS: dict[str, tuple[int, str, bytes]] = {
    "/generate_204": (204, "text/plain", b""),
    "/gen_204": (204, "text/plain", b""),
    "/hotspot-detect.html": (200, "text/html", APPLE_SUCCESS),
    "/library/test/success.html": (200, "text/html", APPLE_SUCCESS),
    "/connecttest.txt": (200, "text/plain", b"Microsoft Connect Test"),
    "/ncsi.txt": (200, "text/plain", b"Microsoft NCSI"),
    "/success.txt": (200, "text/plain", b"success\n"),
    "/canonical.html": (
        200,
        "text/html",
        b'<meta http-equiv="refresh" content="0;url=https://support.mozilla.org/kb/captive-portal"/>',
    ),
    "/check_network_status.txt": (200, "text/plain", b"NetworkManager is online\n"),
}


def hostname(host_header: str) -> str:
    """'10.42.0.1:80' → '10.42.0.1'; '[::1]:8080' → '::1'; lowercased."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class Portal:
    """Decides, per request, whether it is for the kiosk or is a probe to answer."""

    MAX_CLIENTS = 4096

    def __init__(self, own_hosts, portal_url: str, success_minutes: int, clock=time.monotonic):
        self.own_hosts = frozenset(hostname(h) for h in own_hosts if h)
        self.portal_url = portal_url
        self.success_seconds = success_minutes * 60
        self.clock = clock
        # client address → until when it counts as done; oldest first (all last as long)
        self._done: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def is_own_host(self, host_header: str | None) -> bool:
        return not host_header or hostname(host_header) in self.own_hosts

    def mark_done(self, client: str) -> None:
        """Remember ``client`` as done; when full, the oldest mark (first to expire) goes."""
        with self._lock:
            self._done[client] = self.clock() + self.success_seconds
            self._done.move_to_end(client)
            while len(self._done) > self.MAX_CLIENTS:
                self._done.popitem(last=False)

    def is_done(self, client: str) -> bool:
        return self._done.get(client, 0.0) > self.clock()

    def answer(self, client: str, path: str) -> tuple[int, str, bytes] | None:
        """The OS's success answer for a probe from a client that is done, else None
        (the caller then redirects to the portal)."""
        if self.is_done(client):
            return SUCCESS_ANSWERS.get(path)
        return None
