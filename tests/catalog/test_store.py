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


def test_current_release_is_known_without_parsing_it(tmp_path, bundled_catalog, monkeypatch):
    import hashlib

    import kiosk.catalog.store

    store = CatalogStore(tmp_path)
    data = release(bundled_catalog, 1)
    store.activate(data)
    assert (tmp_path / "releases/1/catalog.json.sha256").read_text() == (
        hashlib.sha256(data).hexdigest()
    )

    def no_parsing(*args, **kwargs):
        raise AssertionError("parsed")

    monkeypatch.setattr(kiosk.catalog.store, "parse_release", no_parsing)
    assert store.current_release() == (1, hashlib.sha256(data).hexdigest())
    assert store.recover() == []


def test_a_release_stored_before_digests_is_parsed_once_then_given_one(tmp_path, bundled_catalog):
    store = CatalogStore(tmp_path)
    store.activate(release(bundled_catalog, 1))
    digest = tmp_path / "releases/1/catalog.json.sha256"
    expected = digest.read_text()
    digest.unlink()
    assert store.current_release() == (1, expected)
    assert digest.read_text() == expected


def test_a_current_release_whose_bytes_changed_is_rolled_back(tmp_path, bundled_catalog):
    store = CatalogStore(tmp_path)
    store.activate(release(bundled_catalog, 1))
    store.activate(release(bundled_catalog, 2, fee=5000))
    path = tmp_path / "releases/2/catalog.json"
    path.write_bytes(path.read_bytes().replace(b'"fee":5000', b'"fee":9000'))  # still parses
    assert store.current_release() is None
    assert store.recover() == ["current is damaged or missing; back to release 1"]
    assert store.load_current().version == 1
