"""The on-disk store: immutable releases, atomic switch, last-known-good."""

from __future__ import annotations

import dataclasses
import os
from datetime import date

import pytest

from kiosk.catalog.release import build_release
from kiosk.catalog.store import CatalogStore
from kiosk.errors import ReleaseInvalid


def release(catalog, version, fee=None):
    if fee is not None:
        services = tuple(
            dataclasses.replace(s, fee=fee) if s.id == "sktm" else s for s in catalog.services
        )
        catalog = dataclasses.replace(catalog, services=services)
    return build_release(catalog, version, date(2026, 11, version % 28 + 1))


def test_empty_store_has_no_current(tmp_path):
    store = CatalogStore(tmp_path)
    assert store.current_target() is None
    assert store.load_current() is None


def test_activate_switches_current(tmp_path, bundled_catalog):
    store = CatalogStore(tmp_path)
    store.activate(release(bundled_catalog, 1))
    store.activate(release(bundled_catalog, 2, fee=5000))
    assert os.readlink(tmp_path / "current") == "releases/2"
    assert store.load_current().service("sktm").fee == 5000
    assert store.versions() == [1, 2]


def test_invalid_release_changes_nothing(tmp_path, bundled_catalog):
    store = CatalogStore(tmp_path)
    store.activate(release(bundled_catalog, 1))
    with pytest.raises(ReleaseInvalid):
        store.activate(b"<html>captive portal</html>")
    assert store.current_target() == "releases/1"
    assert [p.name for p in (tmp_path / "releases").iterdir()] == ["1"]


def test_rollback_goes_to_a_release_that_loads(tmp_path, bundled_catalog):
    store = CatalogStore(tmp_path)
    store.activate(release(bundled_catalog, 1))
    store.activate(release(bundled_catalog, 2))
    assert store.rollback() == 1
    assert store.load_current().version == 1


def test_old_releases_are_pruned_but_current_kept(tmp_path, bundled_catalog):
    store = CatalogStore(tmp_path, keep=2)
    for version in range(1, 6):
        store.activate(release(bundled_catalog, version))
    assert store.versions() == [4, 5]
