"""What every console page shares: the blueprint, the database and clock, the guard.

``init_console(app, engine=..., hub_dir=...)`` is called by the hub's app factory.
The guard (:func:`protect`) is the console's one login + CSRF gate; the catalog
editor (issue 16) protects its blueprint with it too.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar, cast

from argon2 import PasswordHasher
from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    g,
    redirect,
    request,
    session,
    url_for,
)
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy.engine import Engine

from ...catalog.model import Catalog
from .. import accounts
from . import text

F = TypeVar("F", bound=Callable[..., Any])
EXTENSION = "pelita_console"

csrf = CSRFProtect()
bp = Blueprint(
    "console",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/console-static",
)


def utcnow() -> datetime:
    """Aware UTC: the hub stores every time in UTC."""
    return datetime.now(UTC)


@dataclass
class ConsoleState:
    engine: Engine
    hub_dir: Path
    catalog: Callable[[], Catalog]
    now: Callable[[], datetime] = utcnow
    hasher: PasswordHasher = accounts.HASHER
    reports: dict[Any, Any] = field(default_factory=dict)  # SKM reports by data version
    lock: threading.Lock = field(default_factory=threading.Lock)  # guards reports


def state() -> ConsoleState:
    return cast(ConsoleState, current_app.extensions[EXTENSION])


def engine() -> Engine:
    return state().engine


def now() -> datetime:
    return state().now()


def current_user() -> accounts.User | None:
    if "user" not in g:
        g.user = None
        uid, version = session.get("uid"), session.get("sv")
        if isinstance(uid, int) and isinstance(version, int):
            g.user = accounts.get_user(engine(), uid, version)
    return cast("accounts.User | None", g.user)


def guard() -> Any:
    """Before every request of a protected blueprint: login, then CSRF on writes."""
    g.protected = True
    if request.endpoint in ("console.login", "console.static"):
        return None
    if current_user() is None:
        flash(text.MSG["login_needed"])
        return redirect(url_for("console.login", next=request.full_path.rstrip("?")))
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        csrf.protect()
    return None


def protect(blueprint: Blueprint) -> Blueprint:
    """Put a blueprint behind the console's login and CSRF check (editor: issue 16).
    Call it where the blueprint is made, before any app registers it."""
    blueprint.before_request(guard)
    return blueprint


protect(bp)


def role_required(*roles: str) -> Callable[[F], F]:
    """Only these roles may use the view (403 with an Indonesian message otherwise)."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            user = current_user()
            if user is None or user.role not in roles:
                abort(403, text.MSG["forbidden"])
            return view(*args, **kwargs)

        return cast(F, wrapped)

    return decorate


def login_required(view: F) -> F:
    """For a view outside a protected blueprint."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        return guard() or view(*args, **kwargs)

    return cast(F, wrapped)


def audit(action: str, target: str, detail: dict[str, Any] | None = None) -> None:
    """Record who (the logged-in user) changed what, in its own transaction."""
    user = current_user()
    with engine().begin() as conn:
        accounts.audit(conn, user.name if user else "?", action, target, detail or {}, now=now())


MACHINE_PATHS = ("/api/", "/public/")  # reports and the TUF repository (kiosk/hub/app.py)


def _security_headers(response: Any) -> Any:
    if request.path.startswith(MACHINE_PATHS):
        return response  # kiosks read these, not browsers; each byte is village mobile data
    if g.get("protected"):  # console pages show personal data: never cached
        response.headers.setdefault("Cache-Control", "no-store")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'",
    )
    return response


def _csrf_failed(error: CSRFError) -> Any:
    flash(text.MSG["csrf"])
    return redirect(request.referrer or url_for("console.fleet")), 303


def configure(app: Flask, *, secure_cookies: bool) -> None:
    """Session cookie and CSRF settings of the hub app (its SECRET_KEY signs both)."""
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure_cookies,
        SESSION_COOKIE_NAME="pelita_console",
        PERMANENT_SESSION_LIFETIME=8 * 3600,
        WTF_CSRF_CHECK_DEFAULT=False,  # checked by guard() on console blueprints only
        WTF_CSRF_TIME_LIMIT=8 * 3600,
    )
    csrf.init_app(app)
    app.register_error_handler(CSRFError, _csrf_failed)
    app.after_request(_security_headers)
