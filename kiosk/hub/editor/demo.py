"""The demo hub's catalog: a copy of the sources to edit, a key behind a demo passphrase,
and a first release, so the editor can be tried end to end (``scripts/demo-hub``)."""

from __future__ import annotations

import shutil
from pathlib import Path

from ..repo import Hub
from ..statuses import enable_statuses
from .publish import publish
from .source import CatalogSource

DEMO_PASSPHRASE = "demo-kemlagi"  # printed with the demo login; a real hub has its own


def prepare_demo_catalog(hub_dir: Path, sources: Path) -> list[str]:
    """Copy ``sources`` to ``<hub>/catalog`` (the repository's own files are never
    edited by the demo), make the hub's keys and publish release 1 when there is none."""
    catalog_dir = hub_dir / "catalog"
    if not catalog_dir.is_dir():
        shutil.copytree(sources, catalog_dir)
    hub = Hub(hub_dir, passphrase=DEMO_PASSPHRASE.encode())
    if not (hub.metadata_dir / "1.root.json").exists():
        hub.init(root_keys=1, root_threshold=1, encrypt=True)
        enable_statuses(hub)  # "Terbitkan ke kios" works in the demo console
        publish(str(hub_dir), CatalogSource(catalog_dir), by="demo", passphrase=hub.passphrase)
    return [
        f"Catalog editor: /katalog/ (sources copied to {catalog_dir})",
        f"  publish passphrase: {DEMO_PASSPHRASE}",
    ]
