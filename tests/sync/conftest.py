"""Fixtures for sync tests: a real hub (real keys, real signatures) and a real HTTP server."""

from __future__ import annotations

import dataclasses
import shutil
import time
from datetime import date
from pathlib import Path

import pytest

from kiosk.catalog.store import CatalogStore
from kiosk.config import load_config
from kiosk.hub.repo import Hub
from kiosk.status import read_status
from kiosk.sync.run import run_sync
from kiosk.web.source import SiteSource

from ..conftest import CATALOG_DIR
from .hubserver import HubServer

OLD_FEE, NEW_FEE = "fee: 30000", "fee: 35000"  # skck, shown as "Rp 30.000" / "Rp 35.000"


def set_skck_fee(catalog_dir: Path, line: str) -> None:
    path = catalog_dir / "services" / "skck.yaml"
    text = path.read_text(encoding="utf-8")
    assert OLD_FEE in text or NEW_FEE in text
    path.write_text(text.replace(OLD_FEE, line).replace(NEW_FEE, line), encoding="utf-8")


@dataclasses.dataclass
class HubHistory:
    """One hub, and copies of its public folder after release 1 and after release 2."""

    hub_dir: Path
    v1: Path
    v2: Path

    @property
    def trust_root(self) -> Path:
        return self.hub_dir / "public" / "metadata" / "1.root.json"


@pytest.fixture(scope="session")
def hub_history(tmp_path_factory) -> HubHistory:
    base = tmp_path_factory.mktemp("hub")
    catalog = base / "catalog"
    shutil.copytree(CATALOG_DIR, catalog)
    hub = Hub(base / "hub")
    hub.init()
    hub.publish(catalog, published=date(2026, 11, 1))
    shutil.copytree(hub.public, base / "v1")
    set_skck_fee(catalog, NEW_FEE)
    hub.publish(catalog, published=date(2026, 11, 20))
    shutil.copytree(hub.public, base / "v2")
    return HubHistory(hub.path, base / "v1", base / "v2")


@pytest.fixture
def served(tmp_path, hub_history) -> Path:
    """The folder the test server serves; starts as the hub after release 1."""
    folder = tmp_path / "served"
    shutil.copytree(hub_history.v1, folder)
    return folder


def serve_version(served: Path, source: Path) -> None:
    """Make the served folder look like ``source`` (what a hub upload would do)."""
    shutil.copytree(source, served, dirs_exist_ok=True)


@pytest.fixture
def hub_server(served):
    server = HubServer(served)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def kiosk_config(tmp_path, hub_history, hub_server):
    """A kiosk pointed at the test server, with short timeouts."""
    return load_config(
        env={},
        overrides={
            "state_dir": str(tmp_path / "kiosk"),
            "hub_url": hub_server.url,
            "trust_root": str(hub_history.trust_root),
            "sync_connect_timeout": 1,
            "sync_read_timeout": 1,
            "sync_max_seconds": 3,
        },
    )


def assert_serving(config, version, fee_text):
    """The store's current release and the web's Site both show ``version``."""
    assert CatalogStore(config.state_path / "catalog").load_current().version == version
    site = SiteSource(config).site
    assert site.catalog.version == version
    assert fee_text in site.pages["/layanan/skck"].body.decode()


def status(config):
    data = read_status(config, "sync")
    assert data is not None, "sync wrote no status"
    return data


@pytest.fixture
def at_v1(kiosk_config, served, hub_history):
    """A kiosk that synced release 1; the server then offers release 2."""
    first = run_sync(kiosk_config)
    assert first.ok and first.changed, first.summary
    assert_serving(kiosk_config, 1, "Rp 30.000")
    serve_version(served, hub_history.v2)
    return kiosk_config


def stop_site(site) -> None:
    """Stop a LiveServer once its client connections are gone: closing waitress while a
    channel is still open races its select() (EBADF in the server thread)."""
    from waitress.channel import HTTPChannel

    deadline = time.monotonic() + 3
    while time.monotonic() < deadline and any(
        isinstance(obj, HTTPChannel) for obj in list(site.server._map.values())
    ):
        time.sleep(0.02)
    site.stop()
