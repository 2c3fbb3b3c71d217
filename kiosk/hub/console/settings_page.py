"""Pengaturan (admin only): console settings, the accounts, and the audit log."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for

from .. import accounts
from ..console_tables import audit_log
from . import settings, text
from .core import audit, bp, engine, role_required

AUDIT_ROWS = 100


@bp.route("/pengaturan")
@role_required("admin")
def settings_page() -> str:
    with engine().connect() as conn:
        values = settings.load(conn)
        log = conn.execute(
            sa.select(audit_log)
            .order_by(audit_log.c.at.desc(), audit_log.c.id.desc())
            .limit(AUDIT_ROWS)
        ).all()
    return render_template(
        "console/settings.html",
        values=values,
        declared=settings.SETTINGS,
        users=accounts.list_users(engine()),
        log=log,
        text=text,
    )


@bp.route("/pengaturan", methods=["POST"])
@role_required("admin")
def settings_save() -> Any:
    changed = {}
    try:
        with engine().begin() as conn:
            before = settings.load(conn)
            for setting in settings.SETTINGS:
                raw = request.form.get(setting.name)
                if raw is None:
                    continue
                value = settings.check(setting.name, raw)
                if value != before[setting.name]:
                    settings.save(conn, setting.name, value)
                    changed[setting.name] = [before[setting.name], value]
    except ValueError as exc:
        flash(f"{text.MSG['bad_number']} ({exc})")
        return redirect(url_for("console.settings_page"), 303)
    if changed:
        audit("settings.change", ",".join(changed), changed)
    flash(text.MSG["saved"])
    return redirect(url_for("console.settings_page"), 303)
