"""Flask views for what the front door does not answer: errors and forms.

Search (``GET /cari``) is answered by :mod:`.front` from the Site's cache.
"""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, request

from .responses import send

log = logging.getLogger(__name__)

residents = Blueprint("residents", __name__)


def site():
    return current_app.extensions["kiosk.source"].get()


@residents.app_errorhandler(404)
@residents.app_errorhandler(405)
def not_found(_error):
    return send(site().not_found)


@residents.app_errorhandler(Exception)
def server_error(error):
    log.exception("error while answering %s %s", request.method, request.path)
    return send(site().server_error)
