"""YAML round trip: the console rewrites catalog/ files without losing comments or order."""

from __future__ import annotations

import pytest

from kiosk.hub.editor.source import CatalogSource, EditConflict, dump

from ...conftest import CATALOG_DIR


def test_every_catalog_file_round_trips_byte_for_byte():
    source = CatalogSource(CATALOG_DIR)
    for name, text in source.snapshot().items():
        assert dump(source.read(name).data()) == text, name


def test_a_change_keeps_comments_and_order(catalog_copy):
    source = CatalogSource(catalog_copy)
    opened = source.read("offices.yaml")
    data = opened.data()
    data["offices"][1]["address"] = "Jl. Raya Kemlagi 1"
    text = dump(data)
    source.write({"offices.yaml": (text, opened.digest)})
    written = (catalog_copy / "offices.yaml").read_text(encoding="utf-8")
    assert written.splitlines()[0] == opened.text.splitlines()[0]  # the comment on top
    changed = [
        (a, b)
        for a, b in zip(opened.text.splitlines(), written.splitlines(), strict=True)
        if a != b
    ]
    assert changed == [
        (
            '    address: "[Diisi kecamatan] Jl. Raya Kemlagi, Mojokumpul, Kemlagi 61353"',
            '    address: "Jl. Raya Kemlagi 1"',
        )
    ]


def test_a_file_changed_on_disk_since_it_was_opened_is_not_overwritten(catalog_copy):
    source = CatalogSource(catalog_copy)
    opened = source.read("services/kia.yaml")
    path = catalog_copy / "services" / "kia.yaml"
    path.write_text(opened.text.replace("fee: 0", "fee: 5000"), encoding="utf-8")
    on_disk = path.read_bytes()
    with pytest.raises(EditConflict) as caught:
        source.write({"services/kia.yaml": ("id: kia\n", opened.digest)})
    assert caught.value.name == "services/kia.yaml"
    assert path.read_bytes() == on_disk


def test_names_outside_the_folder_are_refused(catalog_copy):
    with pytest.raises(ValueError):
        CatalogSource(catalog_copy).read("../etc/passwd")
