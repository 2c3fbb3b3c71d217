"""Ask the kiosk's own site whether it answers: the systemd watchdog's health check
(``kiosk serve``) and the doctor's portal check use this one request."""

from __future__ import annotations

import http.client


def http_status(port: int, host: str, address: str = "127.0.0.1", timeout: float = 5) -> int | None:
    """Status of ``GET /`` with ``Host: host`` at address:port (None: no answer in time)."""
    try:
        conn = http.client.HTTPConnection(address, port, timeout=timeout)
        conn.request("GET", "/", headers={"Host": host})
        status = conn.getresponse().status
        conn.close()
        return status
    except OSError:
        return None
