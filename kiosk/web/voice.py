"""What residents say back: the thin web adapter over :mod:`kiosk.voice`.

Plain HTML form posts (no JavaScript, no cookies), each checked in this order: the
form token (:mod:`.csrf`), the field caps and lists (:mod:`kiosk.voice.forms`), this
phone's daily quota, the kiosk's hourly budget, then one sealed append to the outbox.
Refusals cost microseconds and never touch the disk. The form pages themselves are
pre-rendered with the site (:func:`voice_pages`), so a phone hammering them is served
from memory like any other page.
"""

from __future__ import annotations

import logging
import time

from flask import Blueprint, Response, current_app, redirect, request

from ..errors import HubKeyMissing, KioskError
from ..printer.spool import SPOOL_LIMIT, Job, Spool
from ..voice import forms
from ..voice.limits import DailyQuota, HourlyBudget
from ..voice.statuses import StatusStore
from ..voice.ticket import new_ticket, parse_ticket
from .csrf import FormTokens
from .printing import PerClientLimit, printer_ready
from .responses import send

log = logging.getLogger(__name__)

voice = Blueprint("voice", __name__)

# Per phone per day, and for the whole kiosk per hour. A balai desa sees tens of
# residents a day; these leave room for a queue of them and none for a script.
PER_PHONE_PER_DAY = {"survey": 1, "feedback": 1, "complaint": 3}
PER_KIOSK_PER_HOUR = {"survey": 120, "feedback": 300, "complaint": 30}
LOOKUPS_PER_MINUTE = 20  # /pengaduan/<kode> per phone
PRIORITY = {"complaint": True}
OK, AGAIN, BUSY, FULL, UNREADY = "ok", "again", "busy", "full", "unready"


class Voice:
    """The forms' state for one app: tokens, quotas, budgets, the outbox, statuses."""

    def __init__(self, config, outbox=None, counter=None):
        self.config = config
        self.tokens = FormTokens.for_config(config)
        self.quotas = {kind: DailyQuota(n) for kind, n in PER_PHONE_PER_DAY.items()}
        self.budgets = {kind: HourlyBudget(n) for kind, n in PER_KIOSK_PER_HOUR.items()}
        self.lookups = PerClientLimit(LOOKUPS_PER_MINUTE)
        self._outbox = outbox
        self.counter = counter
        self.statuses = StatusStore(config)

    @property
    def outbox(self):
        if self._outbox is None:
            from ..outbox import Outbox

            self._outbox = Outbox.for_config(self.config)
        return self._outbox

    def submit(self, kind: str, key: tuple, body: dict) -> str:
        """Append one answer if this phone and the kiosk still may; say how it went."""
        quota, budget = self.quotas[kind], self.budgets[kind]
        if not quota.reserve(key):
            return AGAIN
        if not budget.take():
            quota.release(key)
            return BUSY
        try:
            self.outbox.append(kind, body, priority=PRIORITY.get(kind, False))
        except (OSError, KioskError) as exc:
            quota.release(key)
            budget.give_back()
            log.error("cannot keep a %s record: %s", kind, exc)
            return UNREADY if isinstance(exc, HubKeyMissing) else FULL
        return OK


@voice.record_once
def _setup(state) -> None:
    app = state.app
    app.extensions["kiosk.voice"] = Voice(
        app.config["KIOSK"], counter=app.extensions.get("kiosk.counter")
    )


def _site():
    return current_app.extensions["kiosk.source"].get()


def _voice() -> Voice:
    return current_app.extensions["kiosk.voice"]


def _client() -> str:
    return request.remote_addr or "?"


def _send(site, template: str, status: int = 200, **context) -> Response:
    """A rendered answer; never cached (it is about this post, or a ticket)."""
    response = send(site.render(template, status=status, **context))
    response.headers["Cache-Control"] = "no-store"
    return response


STATUS_OF = {OK: 200, AGAIN: 429, BUSY: 429, FULL: 503, UNREADY: 503}


def _guarded(form: str):
    """(site, refusal): the refusal page when the post failed the token or origin check."""
    site = _site()
    return site, _refused(site, form)


def _refused(site, form: str):
    """The answer to a post that failed the token or origin check, else None."""
    reason = _voice().tokens.check(
        request.environ,
        form,
        request.form.get("token"),
        current_app.extensions["kiosk.portal"].is_own_host,
    )
    if reason is None:
        return None
    return _send(site, "terima_kasih.html", 403, form=form, outcome=reason)


@voice.app_errorhandler(413)
def too_large(_error):
    """A post over MAX_FORM_BYTES: refused before any field is read."""
    return _send(_site(), "terima_kasih.html", 413, form="", outcome="too-large")


@voice.post("/layanan/<service_id>/sesuai")
def feedback(service_id: str):
    site = _site()
    service = site.catalog.service(service_id)
    if service is None:
        return _send(site, "not_found.html", 404)
    refused = _refused(site, "sesuai")
    if refused is not None:
        return refused
    parsed = forms.parse_feedback(request.form, service.id)
    if not parsed.ok:
        return _send(site, "sesuai.html", 400, service=service, **vars(parsed))
    outcome = _voice().submit("feedback", (_client(), service.id), parsed.body)
    if outcome == OK and _voice().counter is not None:
        _voice().counter.add(service.id, f"feedback_{parsed.body['answer']}")
    return _send(
        site,
        "terima_kasih.html",
        STATUS_OF[outcome],
        form="sesuai",
        outcome=outcome,
        service=service,
    )


@voice.post("/survei")
def survey():
    site, refused = _guarded("survei")
    if refused is not None:
        return refused
    parsed = forms.parse_survey(request.form, site.surveys.by_id)
    if not parsed.ok:
        context = site.surveys.error_context(parsed.values, parsed.errors)
        return _send(site, "survei.html", 400, **context)
    outcome = _voice().submit("survey", (_client(),), parsed.body)
    if outcome == OK and _voice().counter is not None:
        _voice().counter.add(parsed.body["service"], "survey")
    return _send(site, "terima_kasih.html", STATUS_OF[outcome], form="survei", outcome=outcome)


@voice.post("/pengaduan")
def complaint():
    site, refused = _guarded("pengaduan")
    if refused is not None:
        return refused
    ticket = new_ticket()
    parsed = forms.parse_complaint(request.form, ticket)
    if not parsed.ok:
        return _send(site, "pengaduan.html", 400, values=parsed.values, errors=parsed.errors)
    outcome = _voice().submit("complaint", (_client(),), parsed.body)
    if outcome != OK:
        return _send(
            site, "terima_kasih.html", STATUS_OF[outcome], form="pengaduan", outcome=outcome
        )
    log.info("complaint %s kept for the hub", ticket)
    return redirect(f"/pengaduan/{ticket}?baru=1", code=303)


@voice.get("/pengaduan/cek")
def complaint_lookup():
    ticket = parse_ticket(request.args.get("kode", "")[:40])
    if ticket is None:
        site = _site()
        return _send(site, "pengaduan_status.html", 404, ticket=None, found=None, printed=None)
    return redirect(f"/pengaduan/{ticket}", code=303)


@voice.get("/pengaduan/<code>")
def complaint_status(code: str):
    site = _site()
    if not _voice().lookups.allow(_client()):
        return _send(site, "terima_kasih.html", 429, form="cek", outcome=BUSY)
    ticket = parse_ticket(code[:40])
    if ticket is None:
        return _send(site, "pengaduan_status.html", 404, ticket=None, found=None, printed=None)
    if ticket != code:
        return redirect(f"/pengaduan/{ticket}", code=301)
    return _send(
        site,
        "pengaduan_status.html",
        ticket=ticket,
        found=_voice().statuses.lookup(ticket),
        new=request.args.get("baru") == "1",
        printed=None,
    )


@voice.post("/pengaduan/<code>/cetak")
def complaint_print(code: str):
    site = _site()
    ticket = parse_ticket(code[:40])
    if ticket is None:
        return _send(site, "pengaduan_status.html", 404, ticket=None, found=None, printed=None)
    refused = _refused(site, "tiket")
    if refused is not None:
        return refused
    printed = _print_ticket(ticket)
    return _send(
        site,
        "pengaduan_status.html",
        200 if printed == "taken" else 503,
        ticket=ticket,
        found=_voice().statuses.lookup(ticket),
        new=True,
        printed=printed,
    )


def _print_ticket(ticket: str) -> str:
    config = current_app.config["KIOSK"]
    if not printer_ready(config):
        return "off"
    if not current_app.extensions["kiosk.print_limit"].allow(_client()):
        return "too-many"
    spool = Spool(config.state_path / "spool")
    if spool.count() >= SPOOL_LIMIT:
        return "busy"
    try:
        spool.add(Job(kind="ticket", ticket=ticket, source="web", created=time.time()))
    except OSError as exc:
        log.error("cannot write the ticket print job: %s", exc)
        return "off"
    return "taken"
