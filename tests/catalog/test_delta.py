"""The smaller forms' bytes (kiosk/catalog/delta.py): a patch rebuilds the hub's exact
release bytes, at 23 and 400 services; hostile or broken input is refused, never
expanded past its limit."""

from __future__ import annotations

import dataclasses
import json
import lzma
from datetime import date

import pytest

from bench.catalogs import grow
from kiosk.catalog.delta import apply_patch, make_patch, pack, unpack
from kiosk.catalog.release import build_release, canonical_json
from kiosk.errors import FormRefused
from kiosk.hub.release_forms import release_forms
from kiosk.tuf_layout import patch_name


def with_fee(catalog, index: int, fee: int):
    services = list(catalog.services)
    services[index] = dataclasses.replace(services[index], fee=fee)
    return dataclasses.replace(catalog, services=tuple(services))


@pytest.mark.parametrize("size", [23, 400])
def test_a_patch_rebuilds_the_exact_release_and_is_small(bundled_catalog, size):
    catalog = grow(bundled_catalog, size)
    old = build_release(catalog, 7, date(2026, 12, 1))
    new = build_release(with_fee(catalog, size // 2, 12345), 8, date(2026, 12, 2))
    patch = make_patch(old, new)
    assert apply_patch(old, patch, len(new)) == new
    assert len(patch) < 300 < len(pack(new))  # about the size of the change


def test_every_published_patch_rebuilds_the_release_when_services_come_and_go(
    bundled_catalog,
):
    catalog = bundled_catalog
    old = build_release(catalog, 1, date(2026, 12, 1))
    fewer = dataclasses.replace(catalog, services=catalog.services[1:])
    more = dataclasses.replace(
        catalog, services=(*catalog.services, dataclasses.replace(catalog.services[0], id="baru"))
    )
    published = []
    for changed in (fewer, more):
        new = build_release(changed, 2, date(2026, 12, 2))
        for form in release_forms(new, 2, [(1, old)]):
            if form.name == patch_name(1):
                assert apply_patch(old, form.data, len(new)) == new
                published.append(form)
    # (an older jsonpatch, e.g. Bookworm's 1.32, may diff a removal as a long list of
    # replacements: the hub then publishes no patch for it, kiosks take the packed form)
    assert published and all(len(form.data) < 2000 for form in published)


def test_unpack_refuses_more_than_the_signed_length():
    bomb = pack(b"0" * 5_000_000)  # a few KB that expand to 5 MB
    with pytest.raises(FormRefused, match="more than the 1,000 bytes"):
        unpack(bomb, 1000)
    assert unpack(pack(b"abc"), 3) == b"abc"


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # cut short
        lambda data: data + b"junk",  # bytes after the end
        lambda data: b"not xz at all",
        lambda data: lzma.compress(b"x", format=lzma.FORMAT_ALONE),  # another container
    ],
    ids=["cut", "trailing", "garbage", "lzma-alone"],
)
def test_unpack_refuses_damaged_files(damage):
    with pytest.raises(FormRefused):
        unpack(damage(pack(b"hello " * 100)), 10_000)


def test_unpack_refuses_a_header_that_asks_for_too_much_memory():
    huge = lzma.compress(
        b"x", format=lzma.FORMAT_XZ, filters=[{"id": lzma.FILTER_LZMA2, "dict_size": 1 << 30}]
    )
    with pytest.raises(FormRefused, match="not a valid xz file"):
        unpack(huge, 10)


@pytest.mark.parametrize(
    "ops, words",
    [
        ([{"op": "copy", "from": "/catalog", "path": "/x"}], "not a list of"),
        ({"op": "replace"}, "not a list of"),
        ([{"op": "replace", "path": "/nothing/here/0", "value": 1}], "does not apply"),
        ([{"op": "test", "path": "/version", "value": 999}], "does not apply"),
        ([{"op": "add", "path": "/x", "value": "y" * 5000}], "longer than the"),
    ],
    ids=["copy", "not-a-list", "bad-path", "test-fails", "too-long"],
)
def test_a_bad_patch_is_refused(bundled_catalog, ops, words):
    base = build_release(bundled_catalog, 1, date(2026, 12, 1))
    with pytest.raises(FormRefused, match=words):
        apply_patch(base, pack(canonical_json(ops)), len(base) + 1000)


def test_a_patch_that_is_not_json_is_refused(bundled_catalog):
    base = build_release(bundled_catalog, 1, date(2026, 12, 1))
    with pytest.raises(FormRefused, match="not JSON"):
        apply_patch(base, pack(b"[{"), len(base))
    assert json.loads(base)["version"] == 1  # the base bytes were never touched
