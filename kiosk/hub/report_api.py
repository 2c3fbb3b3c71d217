"""The kiosks' side of the hub app, under ``/api/``.

``POST /api/reports``  one bundle (application/octet-stream, at most 1 MB) → 200 with
                       the signed acknowledgement, or 400/403 ``{"error": reason}``;
                       413 for an oversized body (Flask/waitress cut it off).
``GET /api/status``    is the hub up, and is its database at the newest schema?

The endpoint authenticates by the bundle itself (the kiosk's signature), not by a
session: it needs no login, no cookie and no CSRF token, and it never trusts the
network the bundle came over.
"""

from __future__ import annotations

import threading
from pathlib import Path

from flask import Blueprint, Response, current_app, jsonify, request
from flask.typing import ResponseReturnValue

from ..errors import KioskError
from . import db
from .app import engine
from .ingest import Ingestor
from .report_keys import load_report_keys

api = Blueprint("report_api", __name__)
_lock = threading.Lock()


def ingestor() -> Ingestor:
    """The app's ingestor, made on first use (a hub without report keys still serves)."""
    found = current_app.extensions.get("hub_ingestor")
    if found is None:
        with _lock:
            found = current_app.extensions.get("hub_ingestor")
            if found is None:
                keys = load_report_keys(Path(current_app.config["HUB_DIR"]))
                found = Ingestor(engine(), keys)
                current_app.extensions["hub_ingestor"] = found
    result: Ingestor = found
    return result


@api.post("/reports")
def reports() -> ResponseReturnValue:
    data = request.get_data(cache=False)
    try:
        taker = ingestor()
    except KioskError as exc:
        return jsonify(error=str(exc)), 503
    outcome = taker.ingest(data, transport="http")
    if not outcome.ok or outcome.ack is None:
        return jsonify(error=outcome.reason), outcome.status
    return Response(outcome.ack, 200, mimetype="application/octet-stream")


@api.errorhandler(413)
def too_large(_error: Exception) -> ResponseReturnValue:
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    return jsonify(error=f"the report is larger than the hub takes ({limit} bytes)"), 413


@api.get("/status")
def status() -> ResponseReturnValue:
    revision = db.current_revision(engine())
    return jsonify(ok=revision == db.head_revision(), schema=revision)
