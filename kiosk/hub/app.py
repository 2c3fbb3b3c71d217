"""The hub's web app: the kiosks' report endpoint now, the staff console and the catalog
editor as they arrive (issues 15, 16 register their blueprints in ``create_hub_app``).

One Flask app per hub folder. The database engine lives in ``app.extensions["hub_db"]``
(:func:`engine` gets it inside a request); the schema is migrated to the newest
revision when the app is made, so ``kiosk hub serve`` after an upgrade just works.
"""

from __future__ import annotations

import gc
import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask, current_app, send_from_directory
from flask.typing import ResponseReturnValue
from sqlalchemy.engine import Engine

from . import db
from .db import utcnow

SECRET_FILE = "keys/console-secret"
MAX_BODY = 1024 * 1024  # bytes; a kiosk's bundle is a few KB, a month's backlog < 200 KB


def create_hub_app(
    hub_dir: str | os.PathLike[str],
    *,
    db_url: str | None = None,
    test_config: dict[str, Any] | None = None,
    secure_cookies: bool = False,
    catalog_dir: str | os.PathLike[str] | None = None,
) -> Flask:
    """The hub app for ``hub_dir``; ``db_url`` defaults to ``<hub>/hub.sqlite3``, the
    editor's ``catalog_dir`` (the YAML sources) to ``<hub>/catalog``."""
    hub = Path(hub_dir)
    app = Flask("kiosk.hub")
    app.config.update(
        CONSOLE_SECURE_COOKIES=secure_cookies,  # the console's cookie only over HTTPS
        CATALOG_DIR=str(catalog_dir or hub / "catalog"),  # the editor's YAML sources
        HUB_DIR=str(hub),
        DB_URL=db_url or db.default_url(hub),
        MAX_CONTENT_LENGTH=MAX_BODY,
        SECRET_KEY=_secret_key(hub),
        JSON_SORT_KEYS=False,
    )
    if test_config:
        app.config.update(test_config)
    engine = db.connect(app.config["DB_URL"])
    db.upgrade(engine)
    app.extensions["hub_db"] = engine

    from .report_api import api

    app.register_blueprint(api, url_prefix="/api")
    app.add_url_rule("/public/<path:name>", "public", _public)

    from .console import init_console

    init_console(
        app,
        engine=engine,
        hub_dir=hub,
        secure_cookies=bool(app.config.get("CONSOLE_SECURE_COOKIES")),
        now=app.config.get("CONSOLE_NOW") or utcnow,
        hasher=app.config.get("CONSOLE_PASSWORD_HASHER"),  # tests: a cheap one
    )

    from .editor import init_editor

    init_editor(
        app,
        hub_dir=hub,
        catalog_dir=Path(app.config["CATALOG_DIR"]),
        preview_village=app.config.get("PREVIEW_VILLAGE", ""),
    )
    return app


def _public(name: str) -> ResponseReturnValue:
    """The hub's signed TUF repository (HUB/public), so one server does both ways:
    kiosks set hub_url = http://HUB:8090/public/. Missing files are real 404s."""
    response = send_from_directory(Path(current_app.config["HUB_DIR"]) / "public", name)
    if name.endswith("timestamp.json"):  # the one mutable file
        response.cache_control.no_cache = True
        _heartbeat()
    return response


def _heartbeat() -> None:
    """A kiosk's signed heartbeat rides its catalog pull (kiosk/hub/beats.py); a bad
    one, or a database hiccup, never stands between a kiosk and its catalog."""
    from flask import request

    from ..reports.beat import HEADER
    from .beats import note_beat

    value = request.headers.get(HEADER)
    if value:
        try:
            note_beat(engine(), value, now=utcnow())
        except Exception:  # the edge: the catalog is served whatever happens here
            current_app.logger.exception("heartbeat not noted")


def serve_options() -> dict[str, Any]:
    """waitress settings for the hub: a bundle is small, a slow or endless body is cut."""
    return {
        "ident": "",  # no Server header: kiosks pay for every byte of every answer
        "max_request_body_size": MAX_BODY,
        "channel_timeout": 30,  # a kiosk that stops sending mid-body is dropped
        "connection_limit": 200,
    }


def settle_heap() -> None:
    """Before serving: load the download writers (openpyxl, fpdf2) so no request pays for
    the import, then move everything loaded so far out of the garbage collector's sight
    (gc.freeze): a full collection then skips the ~140,000 long-lived objects of Flask,
    SQLAlchemy and the catalog, which otherwise cost a request 50-90 ms now and then
    (docs/performance.md, the console)."""
    import fpdf  # noqa: F401  (imported for its side effect: loaded once, at start)
    import openpyxl  # noqa: F401

    gc.collect()
    gc.freeze()


def engine() -> Engine:
    """The hub database of the app handling this request."""
    found: Engine = current_app.extensions["hub_db"]
    return found


def _secret_key(hub: Path) -> str:
    """The app's session secret: made once, kept 0600 in the hub's keys folder."""
    path = hub / SECRET_FILE
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(value + "\n")
        f.flush()
        os.fsync(f.fileno())
    return value
