"""The kecamatan's console: fleet, demand, SKM/IKM, complaints and catalog truth.

core.py        blueprint, database/clock access, the login + CSRF guard, audit
auth.py        log in / log out
fleet.py       Armada rows (pure) · fleet_page.py the page
demand.py      Permintaan (reads rollup.py's weekly/monthly sums)
skm.py         SKM/IKM (kiosk/hub/skm_report.py gathers, skm_export.py writes)
complaints.py  Pengaduan (kiosk/hub/complaint_store.py) · publish.py "Terbitkan ke kios"
truth.py       Kebenaran katalog · settings_page.py Pengaturan (settings.py: declared settings)
filters.py     the shared filter bar · charts.py server-side SVG · text.py staff-facing words
(kiosk/hub/console_tables.py: the console's own tables)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from flask import Flask
from sqlalchemy.engine import Engine

from ...catalog.model import Catalog
from .. import accounts
from ..utc import as_utc
from .catalog_source import HubCatalog
from .core import (
    EXTENSION,
    ConsoleState,
    audit,
    bp,
    configure,
    current_user,
    login_required,
    protect,
    role_required,
    utcnow,
)
from .text import NAV, NAV_ADMIN

# The API other blueprints (the catalog editor, issue 16) build on.
NAV_EXTENSION = "pelita_console_nav"
__all__ = [
    "add_nav",
    "audit",
    "current_user",
    "init_console",
    "login_required",
    "protect",
    "role_required",
]


def init_console(
    app: Flask,
    *,
    engine: Engine,
    hub_dir: Path,
    catalog: Callable[[], Catalog] | None = None,
    secure_cookies: bool = False,
    now: Callable[[], datetime] = utcnow,
    hasher: PasswordHasher | None = None,
) -> None:
    """Mount the console at / on the hub app, behind its login."""
    from . import (  # noqa: F401  (they add their routes to bp)
        auth,
        complaints,
        demand,
        fleet_page,
        settings_page,
        skm,
        truth,
    )

    configure(app, secure_cookies=secure_cookies)
    app.extensions[EXTENSION] = ConsoleState(
        engine, hub_dir, catalog or HubCatalog(hub_dir), now, hasher or accounts.HASHER
    )
    app.register_blueprint(bp)
    app.add_template_filter(as_utc, "as_utc")

    @app.context_processor
    def console_globals() -> dict[str, Any]:
        return {
            "console_user": current_user,
            "console_nav": NAV,
            "console_nav_admin": NAV_ADMIN,
            "console_extra_nav": app.extensions.get(NAV_EXTENSION, []),
        }


def add_nav(app: Flask, endpoint: str, label: str) -> None:
    """Another blueprint's page in the console's menu (the editor: 'Katalog')."""
    app.extensions.setdefault(NAV_EXTENSION, []).append((endpoint, label))
