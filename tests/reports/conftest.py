"""A whole two-way world for report tests: a real hub folder (TUF repository with a
published catalog and report keys), its app under a real waitress server on 127.0.0.1
with the hub database on SQLite or PostgreSQL, and a kiosk configured against it."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kiosk.config import load_config
from kiosk.hub.repo import Hub
from kiosk.hub.report_keys import create_report_keys, load_report_keys, publish_report_key

from ..conftest import CATALOG_DIR, LiveServer, free_port
from ..hub.conftest import hub_db, pg_cluster, sqlite_template  # noqa: F401 - fixtures


@pytest.fixture(scope="session")
def hub_template(tmp_path_factory) -> Path:
    """A hub after 'kiosk hub init' and one publish (copied for each test)."""
    base = tmp_path_factory.mktemp("reporthub")
    hub = Hub(base / "hub")
    hub.init()
    create_report_keys(hub.path)
    publish_report_key(hub.path)
    hub.publish(CATALOG_DIR, published=date(2026, 11, 1))
    return hub.path


@dataclasses.dataclass
class World:
    hub_dir: Path
    db_url: str
    app: Any
    server: LiveServer
    config_overrides: dict

    @property
    def engine(self):
        return self.app.extensions["hub_db"]

    @property
    def keys(self):
        return load_report_keys(self.hub_dir)

    def kiosk(self, state: Path, village: str = "kemlagi", **changes):
        overrides = {**self.config_overrides, "state_dir": str(state), "village": village}
        overrides.update(changes)
        return load_config(env={}, overrides=overrides)

    def enroll(self, config, village: str | None = None) -> str:
        """What the technician does: a code at the hub, given to the kiosk."""
        from kiosk.hub.enroll import create_enrollment
        from kiosk.reports.identity import save_enroll_code

        code, _ = create_enrollment(self.engine, village or config.village)
        save_enroll_code(config.state_path, code)
        return code


def serve_hub(app) -> LiveServer:
    from waitress.server import create_server

    from kiosk.hub.app import serve_options

    server = create_server(app, host="127.0.0.1", port=free_port(), threads=4, **serve_options())
    return LiveServer(app, server)


@pytest.fixture
def world(tmp_path, hub_template, hub_db):  # noqa: F811 - the imported fixture
    hub_dir = tmp_path / "hub"
    shutil.copytree(hub_template, hub_dir)
    from kiosk.hub.app import create_hub_app

    app = create_hub_app(hub_dir, db_url=hub_db.url)
    server = serve_hub(app)
    overrides = {
        "hub_url": f"{server.url}/public/",
        "trust_root": str(hub_dir / "public" / "metadata" / "1.root.json"),
        "report_url": f"{server.url}/api/reports",
        "sync_connect_timeout": 5,
        "sync_read_timeout": 30,  # a loaded CI machine; the fault tests set their own
    }
    try:
        yield World(hub_dir, hub_db.url, app, server, overrides)
    finally:
        server.stop()
        app.extensions["hub_db"].dispose()
