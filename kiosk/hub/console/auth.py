"""Log in and out of the console."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for

from .. import accounts
from . import text
from .core import bp, csrf, current_user, engine, now, state


def _safe_next(target: str | None) -> str:
    """Only a path on this site (no scheme or host: no open redirect)."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/"):
            return target
    return url_for("console.fleet")


@bp.route("/masuk", methods=["GET", "POST"])
def login() -> Any:
    if request.method == "GET":
        return render_template("console/login.html", next=request.args.get("next", ""))
    csrf.protect()
    name = request.form.get("name", "").strip().lower()
    password = request.form.get("password", "")
    try:
        user = accounts.authenticate(
            engine(),
            name,
            password,
            addr=request.remote_addr or "?",
            now=now(),
            hasher=state().hasher,
        )
    except accounts.LoginThrottled:
        flash(text.MSG["login_throttled"])
        return render_template("console/login.html", next=request.form.get("next", "")), 429
    except accounts.AccountError:
        flash(text.MSG["login_failed"])
        return render_template("console/login.html", next=request.form.get("next", "")), 401
    session.clear()  # a fresh session (and CSRF token) after login: no fixation
    session.permanent = True
    session["uid"], session["sv"] = user.id, user.session_version
    return redirect(_safe_next(request.form.get("next")), 303)


@bp.route("/keluar", methods=["POST"])
def logout() -> Any:
    user = current_user()
    if user is not None:
        accounts.end_sessions(engine(), user.id)
    session.clear()
    flash(text.MSG["logged_out"])
    return redirect(url_for("console.login"), 303)
