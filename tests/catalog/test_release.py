"""Releases: canonical bytes, full validation on load, and the bundled copy kept current."""

from __future__ import annotations

import json
from datetime import date

import pytest

from kiosk.catalog.load import load_catalog_dir
from kiosk.catalog.release import build_release, bundled_release_path, parse_release
from kiosk.errors import ReleaseInvalid

from ..conftest import CATALOG_DIR


@pytest.fixture(scope="module")
def source_catalog():
    return load_catalog_dir(CATALOG_DIR)


def test_round_trip_keeps_everything(source_catalog):
    data = build_release(source_catalog, 7, date(2026, 11, 27))
    loaded = parse_release(data)
    assert loaded.version == 7
    assert loaded.published == date(2026, 11, 27)
    assert loaded.services == source_catalog.services
    assert loaded.offices == source_catalog.offices
    assert build_release(loaded, 7, date(2026, 11, 27)) == data  # canonical


def test_bundled_release_is_built_from_catalog_folder(source_catalog):
    bundled = parse_release(bundled_release_path().read_bytes())
    assert bundled.services == source_catalog.services, (
        "kiosk/data/catalog.json is out of date: run "
        "`kiosk catalog build catalog -o kiosk/data/catalog.json`"
    )
    assert bundled.villages == source_catalog.villages
    assert bundled.offices == source_catalog.offices
    assert bundled.categories == source_catalog.categories


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda b: b[:-10], "not a valid catalog release"),
        (lambda b: b"<html>Login to Wi-Fi</html>", "not a valid catalog release"),
        (lambda b: b.replace(b'"format":1', b'"format":9'), "unknown release format 9"),
        (lambda b: b.replace(b'"fee":0', b'"fee":"0"', 1), "catalog does not validate"),
        (lambda b: b.replace(b'"version":3', b'"version":-1'), "version must be a whole number"),
    ],
)
def test_damaged_release_is_refused(source_catalog, damage, message):
    data = build_release(source_catalog, 3, date(2026, 11, 27))
    with pytest.raises(ReleaseInvalid, match=message):
        parse_release(damage(data))


def test_release_json_is_compact_and_sorted(source_catalog):
    data = build_release(source_catalog, 1, date(2026, 1, 2))
    doc = json.loads(data)
    assert list(doc) == sorted(doc)
    assert b"\n" not in data
