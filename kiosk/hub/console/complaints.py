"""Pengaduan: the inbox, one complaint's page (status, public answer, LAPOR! id, contact
for handling roles only) and "Terbitkan ke kios" (statuses and answers to the kiosks)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for

from ...errors import KioskError
from .. import complaint_store as store
from ..complaint_flow import STATUSES, allowed_next, is_overdue
from . import publish, settings, text
from .core import audit, bp, current_user, engine, now, role_required

SHOW = ("terbuka", "semua", *STATUSES)


def _deadline() -> int:
    with engine().connect() as conn:
        return int(settings.load(conn)["complaint_deadline_days"])


@bp.route("/pengaduan")
def complaints() -> str:
    show = request.args.get("tampil", "terbuka")
    show = show if show in SHOW else "terbuka"
    page = max(request.args.get("hal", 0, type=int) or 0, 0)
    deadline, current = _deadline(), now()
    with engine().connect() as conn:
        rows = store.inbox(conn, now=current, deadline_days=deadline, show=show, page=page)
        counts = store.counts_by_state(conn, now=current, deadline_days=deadline)
    overdue = {r.ticket for r in rows if is_overdue(r.status, r.received_at, deadline, current)}
    return render_template(
        "console/complaints.html",
        rows=rows,
        counts=counts,
        overdue=overdue,
        show=show,
        page=page,
        more=len(rows) == store.PAGE,
        text=text,
        deadline=deadline,
        due=lambda row: store.due(row, deadline),
    )


@bp.route("/pengaduan/<ticket>")
def complaint(ticket: str) -> str:
    with engine().connect() as conn:
        row = store.get(conn, ticket)
        if row is None:
            abort(404)
        steps = store.history(conn, ticket)
    user = current_user()
    deadline = _deadline()
    return render_template(
        "console/complaint.html",
        row=row,
        steps=steps,
        text=text,
        deadline=deadline,
        due=store.due(row, deadline),
        next_statuses=allowed_next(row.status),
        overdue=is_overdue(row.status, row.received_at, deadline, now()),
        show_contact=user is not None and user.handles_complaints,
    )


@bp.route("/pengaduan/<ticket>", methods=["POST"])
@role_required("admin", "petugas")
def complaint_update(ticket: str) -> Any:
    form = request.form
    user = current_user()
    assert user is not None
    with engine().connect() as conn:
        row = store.get(conn, ticket)
    if row is None:
        abort(404)
    change = store.Change(
        status=form.get("status") or row.status,
        public_answer=form.get("jawaban", "")[:2000],
        lapor_id=form.get("lapor", "")[:64],
        note=form.get("catatan", "")[:1000],
    )
    try:
        store.change(engine(), ticket, change, user=user.name, now=now())
    except ValueError:
        flash(
            text.MSG["bad_move"].format(
                old=text.COMPLAINT_STATUS[row.status],
                new=text.COMPLAINT_STATUS.get(change.status, change.status),
            )
        )
        return redirect(url_for("console.complaint", ticket=ticket), 303)
    flash(
        text.MSG["status_changed"].format(
            ticket=ticket, status=text.COMPLAINT_STATUS[change.status]
        )
    )
    return redirect(url_for("console.complaint", ticket=ticket), 303)


@bp.route("/pengaduan/terbitkan", methods=["POST"])
@role_required("admin", "petugas")
def complaints_publish() -> Any:
    try:
        version = publish.publish_complaints(engine(), now=now())
    except (KioskError, OSError, ValueError) as exc:  # no key yet, disk full, bad answer
        flash(text.MSG["publish_failed"].format(error=exc))
        return redirect(url_for("console.complaints"), 303)
    audit("complaint.publish", f"version {version}")
    flash(text.MSG["published"].format(version=version))
    return redirect(url_for("console.complaints"), 303)
