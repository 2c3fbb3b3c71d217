"""The running site picks up a synced release within about a second, never mixed."""

from __future__ import annotations

import threading
import time
import urllib.request

from kiosk.sync.run import run_sync
from kiosk.web import create_app

from ..conftest import LiveServer
from .conftest import stop_site

V1 = ("Rp 30.000", "1 November 2026")
V2 = ("Rp 35.000", "20 November 2026")


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode()


def which(page: str) -> str:
    """'v1' or 'v2' if every mark of exactly one release is on the page, else 'mixed'."""
    has1, has2 = (all(mark in page for mark in v) for v in (V1, V2))
    return "v1" if has1 and not has2 else "v2" if has2 and not has1 else "mixed"


def test_live_site_switches_within_seconds_and_never_mixes(at_v1):
    server = LiveServer(create_app(at_v1))
    seen: list[tuple[float, str]] = []
    stop = threading.Event()

    def poll():
        while not stop.is_set():
            seen.append((time.monotonic(), which(fetch(server.url + "/layanan/skck"))))

    poller = threading.Thread(target=poll)
    try:
        assert which(fetch(server.url + "/layanan/skck")) == "v1"
        poller.start()
        result = run_sync(at_v1)
        synced_at = time.monotonic()
        assert result.ok and result.changed
        deadline = synced_at + 5
        while time.monotonic() < deadline and (not seen or seen[-1][1] != "v2"):
            time.sleep(0.05)
    finally:
        stop.set()
        if poller.is_alive():
            poller.join(5)
        stop_site(server)
    kinds = [kind for _, kind in seen]
    assert "mixed" not in kinds
    assert kinds[0] == "v1" and kinds[-1] == "v2"
    # (how fast: SiteSource looks once a second; the 5 s deadline above only bounds the wait)
    # once switched, never back
    assert kinds[kinds.index("v2") :] == ["v2"] * (len(kinds) - kinds.index("v2"))
