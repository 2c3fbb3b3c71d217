"""Preview pages: the kiosk's page at phone width (an iframe) and the slip (text, PNG)."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, render_template

from ...catalog.model import Catalog
from .preview import preview_config, service_page, service_slip_preview, slip_png, slip_text
from .state import bp, draft, editor

# The kiosk page carries its CSS inline (one request on a captive portal); it may be framed
# by the editor's own pages only, and runs no script.
PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"


def _draft_catalog(service_id: str) -> Catalog:
    catalog = draft().catalog
    if catalog is None or catalog.service(service_id) is None:
        abort(404)
    return catalog


@bp.route("/layanan/<service_id>/pratinjau")
def preview(service_id: str) -> Any:
    catalog = _draft_catalog(service_id)
    config = preview_config(editor().preview_village)
    slip = service_slip_preview(catalog, service_id, config)
    return render_template(
        "editor/preview.html",
        service=catalog.service(service_id),
        slip_text=slip_text(slip),
        village=catalog.kiosk_village(config.village).name,
    )


@bp.route("/layanan/<service_id>/pratinjau/halaman")
def preview_page(service_id: str) -> Any:
    catalog = _draft_catalog(service_id)
    body = service_page(catalog, service_id, preview_config(editor().preview_village))
    response = Response(body, content_type="text/html; charset=utf-8")
    response.headers["Content-Security-Policy"] = PAGE_CSP
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


@bp.route("/layanan/<service_id>/pratinjau/slip.png")
def preview_slip_png(service_id: str) -> Any:
    catalog = _draft_catalog(service_id)
    slip = service_slip_preview(catalog, service_id, preview_config(editor().preview_village))
    return Response(slip_png(slip), content_type="image/png")
