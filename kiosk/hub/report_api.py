"""The kiosks' side of the hub app, under ``/api/``.

``GET /api/status``  is the hub up, and is its database at the newest schema?
"""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from . import db
from .app import engine

api = Blueprint("report_api", __name__)


@api.get("/status")
def status() -> ResponseReturnValue:
    revision = db.current_revision(engine())
    return jsonify(ok=revision == db.head_revision(), schema=revision)
