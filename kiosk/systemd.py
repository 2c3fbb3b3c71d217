"""systemd readiness and watchdog (sd_notify), without a C library.

Under ``Type=notify`` + ``WatchdogSec=``, a daemon says READY=1 once it serves, then
WATCHDOG=1 regularly, but only while a real health check passes: a process that hangs
without crashing (every web thread stuck, the print worker dead) stops pinging and
systemd restarts it. Outside systemd (no NOTIFY_SOCKET) all of this does nothing.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable, Mapping

log = logging.getLogger(__name__)


def notify(message: str, env: Mapping[str, str] | None = None) -> bool:
    """Send ``message`` (e.g. "READY=1") to systemd; False when not under systemd."""
    env = os.environ if env is None else env
    address = env.get("NOTIFY_SOCKET")
    if not address:
        return False
    if address.startswith("@"):  # abstract namespace
        address = "\0" + address[1:]
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            sock.connect(address)
            sock.sendall(message.encode())
        return True
    except OSError as exc:
        log.warning("cannot notify systemd (%s): %s", message, exc)
        return False


def watchdog_interval(env: Mapping[str, str] | None = None) -> float | None:
    """Seconds between two pings (half of WatchdogSec), or None when not asked for."""
    env = os.environ if env is None else env
    usec = env.get("WATCHDOG_USEC")
    pid = env.get("WATCHDOG_PID")
    if not usec or (pid and pid != str(os.getpid())):
        return None
    try:
        return int(usec) / 1_000_000 / 2
    except ValueError:
        return None


def start_watchdog(
    healthy: Callable[[], bool], env: Mapping[str, str] | None = None
) -> threading.Event | None:
    """Ping the watchdog from a thread while ``healthy()``; set the returned event to stop."""
    interval = watchdog_interval(env)
    if interval is None:
        return None
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(interval):
            try:
                ok = healthy()
            except Exception:
                log.exception("health check failed")
                ok = False
            if ok:
                notify("WATCHDOG=1", env)
            else:
                log.error("health check failed: not pinging the watchdog (systemd will restart)")

    threading.Thread(target=loop, name="watchdog", daemon=True).start()
    return stop
