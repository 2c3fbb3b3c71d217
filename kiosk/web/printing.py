""" "Cetak di balai desa": a plain form POST puts a print job in the spool folder.

No JavaScript and no cookies, so it works in iOS's captive mini-browser. The answer
is a plain page: taken, or why not (printer off per its status file, a form posted
from another site, too many requests from this phone, too many slips from all phones
this hour, queue full). The web process never touches the printer.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from datetime import UTC, datetime
from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, request

from ..printer.spool import SPOOL_LIMIT, Job, Spool
from ..status import read_status
from .responses import send

log = logging.getLogger(__name__)

printing = Blueprint("printing", __name__)

STATUS_MAX_AGE = 90  # seconds; the printer daemon rewrites its status every 30 s


class Budget:
    """At most ``limit`` events in any ``seconds`` (a sliding window)."""

    def __init__(self, limit: int, seconds: float):
        self.limit = limit
        self.seconds = seconds
        self._times: deque[float] = deque()

    def allow(self, now: float) -> bool:
        while self._times and now - self._times[0] >= self.seconds:
            self._times.popleft()
        if len(self._times) >= self.limit:
            return False
        self._times.append(now)
        return True

    def quiet_since(self, now: float) -> bool:
        return not self._times or now - self._times[-1] >= self.seconds


class PerClientLimit:
    """At most ``per_minute`` accepted requests per client address in any 60 s."""

    MAX_CLIENTS = 4096

    def __init__(self, per_minute: int, clock=time.monotonic):
        self.per_minute = per_minute
        self.clock = clock
        self._seen: dict[str, Budget] = {}
        self._lock = threading.Lock()

    def allow(self, client: str) -> bool:
        now = self.clock()
        with self._lock:
            budget = self._seen.setdefault(client, Budget(self.per_minute, 60))
            allowed = budget.allow(now)
            if len(self._seen) > self.MAX_CLIENTS:  # forget phones that went quiet
                self._seen = {c: b for c, b in self._seen.items() if not b.quiet_since(now)}
            return allowed


class TotalLimit:
    """At most ``per_hour`` slips from all phones together in any hour: forty phones
    taking their one slip a minute each would otherwise empty the roll."""

    def __init__(self, per_hour: int, clock=time.monotonic):
        self.clock = clock
        self._budget = Budget(per_hour, 3600)
        self._lock = threading.Lock()

    def allow(self) -> bool:
        with self._lock:
            return self._budget.allow(self.clock())


def same_origin(environ: dict, portal) -> bool:
    """Did the form come from the kiosk's own pages? A browser names the page a form was
    posted from in Origin (or Referer); a form on another site cannot fake it. Requests
    that carry neither (very old browsers, curl) are let through."""
    origin = environ.get("HTTP_ORIGIN") or environ.get("HTTP_REFERER")
    if not origin:
        return True
    host = urlsplit(origin).netloc
    return bool(host) and portal.is_own_host(host)


@printing.record_once
def _setup(state) -> None:
    config = state.app.config["KIOSK"]
    state.app.extensions["kiosk.print_limit"] = PerClientLimit(config.web_print_per_minute)
    state.app.extensions["kiosk.print_total"] = TotalLimit(config.web_print_per_hour)


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
    if not same_origin(request.environ, current_app.extensions["kiosk.portal"]):
        return _answer(site, "foreign", 403, service)
    if not current_app.extensions["kiosk.print_limit"].allow(request.remote_addr or "?"):
        return _answer(site, "too-many", 429, service)
    if not current_app.extensions["kiosk.print_total"].allow():
        return _answer(site, "hour-full", 429, service)
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
