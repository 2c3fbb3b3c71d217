"""The catalog editor of the staff console (``/katalog/``): edit, check, preview, confirm
and publish the catalog's YAML sources.

Pure modules (no Flask):
- ``source``: read/write the YAML files keeping comments and order; content hashes refuse
  a file changed on disk while it was open in the browser.
- ``service_form``, ``places_form``: form fields ↔ YAML for a service, offices, villages.
- ``problems``: the validator's problems as Indonesian messages next to their form fields.
- ``preview``: the service page exactly as a kiosk renders it, and the slip (text, PNG).
- ``diff``: what changed between two catalogs, in lines staff read.
- ``history``: every published release with who published it and its sources.
- ``publish``: a draft (the YAML folder) becomes a signed release; roll back.
- ``text``: every Indonesian word staff read here.

Flask (thin): ``state`` (blueprint, folders), ``views`` (services, review),
``preview_views``, ``publish_views`` (publish, history, roll back), ``places_views``.
``init_editor(app, ...)`` mounts it behind the console's login (issue 15).
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask


def init_editor(app: Flask, *, hub_dir: Path, catalog_dir: Path, preview_village: str = "") -> None:
    """Mount the editor at /katalog/ on the hub app (after the console)."""
    from ...indonesian import format_date
    from ..console import add_nav
    from . import places_views, preview_views, publish_views, views  # noqa: F401  (routes)
    from .source import CatalogSource
    from .state import EXTENSION, EditorState, bp
    from .text import when_wib

    app.extensions[EXTENSION] = EditorState(CatalogSource(catalog_dir), hub_dir, preview_village)
    app.register_blueprint(bp, url_prefix="/katalog")
    app.add_template_filter(when_wib, "waktu_wib")
    app.add_template_filter(format_date, "tanggal_id")
    add_nav(app, "katalog.index", "Katalog")
