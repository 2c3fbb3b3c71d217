""" "Cetak di balai desa": a plain form POST puts a print job in the spool folder.

No JavaScript and no cookies, so it works in iOS's captive mini-browser. The answer
is a plain page: taken, or why not (printer off per its status file, too many
requests from this phone, queue full). The web process never touches the printer.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from datetime import UTC, datetime

from flask import Blueprint, Response, current_app, request

from ..printer.spool import SPOOL_LIMIT, Job, Spool
from ..status import read_status
from .responses import send

log = logging.getLogger(__name__)

printing = Blueprint("printing", __name__)

STATUS_MAX_AGE = 90  # seconds; the printer daemon rewrites its status every 30 s


class PerClientLimit:
    """At most ``per_minute`` accepted requests per client address in any 60 s."""

    MAX_CLIENTS = 4096

    def __init__(self, per_minute: int, clock=time.monotonic):
        self.per_minute = per_minute
        self.clock = clock
        self._seen: dict[str, deque] = {}
        self._lock = threading.Lock()

    def allow(self, client: str) -> bool:
        now = self.clock()
        with self._lock:
            times = self._seen.setdefault(client, deque())
            while times and now - times[0] >= 60:
                times.popleft()
            if len(times) >= self.per_minute:
                return False
            times.append(now)
            if len(self._seen) > self.MAX_CLIENTS:  # forget phones that went quiet
                self._seen = {c: t for c, t in self._seen.items() if t and now - t[-1] < 60}
            return True


@printing.record_once
def _setup(state) -> None:
    config = state.app.config["KIOSK"]
    state.app.extensions["kiosk.print_limit"] = PerClientLimit(config.web_print_per_minute)


def printer_ready(config) -> bool:
    """True if the printer daemon said "ready" (or "printing") within STATUS_MAX_AGE."""
    status = read_status(config, "printer")
    if not status or not status.get("ok"):
        return False
    try:
        updated = datetime.fromisoformat(status["updated"])
    except (KeyError, TypeError, ValueError):
        return False
    age = (datetime.now(UTC) - updated).total_seconds()
    return -STATUS_MAX_AGE < age < STATUS_MAX_AGE


def _answer(site, outcome: str, status: int, service=None) -> Response:
    return send(site.render("print_result.html", status=status, outcome=outcome, service=service))


@printing.post("/cetak/<service_id>")
def print_service(service_id: str):
    config = current_app.config["KIOSK"]
    site = current_app.extensions["kiosk.source"].get()
    service = site.catalog.service(service_id)
    if service is None:
        return _answer(site, "unknown", 404)
    if not printer_ready(config):
        return _answer(site, "off", 503, service)
    if not current_app.extensions["kiosk.print_limit"].allow(request.remote_addr or "?"):
        return _answer(site, "too-many", 429, service)
    spool = Spool(config.state_path / "spool")
    if spool.count() >= SPOOL_LIMIT:
        return _answer(site, "busy", 503, service)
    try:
        spool.add(Job(kind="service", service=service.id, source="web", created=time.time()))
    except OSError as exc:
        log.error("cannot write print job for %s: %s", service.id, exc)
        return _answer(site, "off", 503, service)
    log.info("print job for %s from %s", service.id, request.remote_addr)
    return _answer(site, "taken", 200, service)
