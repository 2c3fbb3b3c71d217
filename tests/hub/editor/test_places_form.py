"""Offices and villages ↔ form fields."""

from __future__ import annotations

import pytest
from ruamel.yaml import YAML

from kiosk.hub.editor.places_form import (
    OFFICE_KEYS,
    VILLAGE_KEYS,
    apply_offices,
    apply_villages,
    offices_form,
    parse_pairs,
    places_from_request,
    villages_form,
)
from kiosk.hub.editor.source import CatalogSource, dump

from ...conftest import CATALOG_DIR

SOURCE = CatalogSource(CATALOG_DIR)


def posted(form, kind, keys):
    out = dict(form.fields)
    for n, (orig, values) in enumerate(form.rows):
        out.update({f"{kind}-{n}-{k}": values.get(k, "") for k in keys})
        out[f"{kind}-{n}-orig"] = "" if orig is None else str(orig)
    return out


@pytest.mark.parametrize(
    "name, kind, keys, to_form, apply",
    [
        ("offices.yaml", "offices", OFFICE_KEYS, offices_form, apply_offices),
        ("villages.yaml", "villages", VILLAGE_KEYS, villages_form, apply_villages),
    ],
)
def test_posting_the_form_unchanged_changes_no_byte(name, kind, keys, to_form, apply):
    opened = SOURCE.read(name)
    fields = posted(to_form(opened.data()), kind, keys)
    doc = opened.data()
    apply(doc, places_from_request(fields, kind, keys))
    assert dump(doc) == opened.text


def test_office_address_and_hours_change():
    opened = SOURCE.read("offices.yaml")
    fields = posted(offices_form(opened.data()), "offices", OFFICE_KEYS)
    fields["offices-1-address"] = "Jl. Raya Kemlagi 1"
    fields["offices-1-placeholder"] = ""
    fields["offices-1-hours"] = "Senin–Kamis | 07.30–15.30\nJumat | 07.30–11.00"
    doc = opened.data()
    apply_offices(doc, places_from_request(fields, "offices", OFFICE_KEYS))
    kecamatan = YAML(typ="safe").load(dump(doc))["offices"][1]
    assert kecamatan["address"] == "Jl. Raya Kemlagi 1"
    assert kecamatan["placeholder"] is False
    assert kecamatan["hours"] == [
        {"days": "Senin–Kamis", "time": "07.30–15.30"},
        {"days": "Jumat", "time": "07.30–11.00"},
    ]


def test_add_and_delete_a_village():
    opened = SOURCE.read("villages.yaml")
    fields = posted(villages_form(opened.data()), "villages", VILLAGE_KEYS)
    fields["villages-0-delete"] = "1"
    fields.update({"villages-99-id": "desa-baru", "villages-99-name": "Desa Baru"})
    doc = opened.data()
    apply_villages(doc, places_from_request(fields, "villages", VILLAGE_KEYS))
    villages = YAML(typ="safe").load(dump(doc))["villages"]
    assert villages[0]["id"] == "betro"
    assert villages[-1] == {"id": "desa-baru", "name": "Desa Baru"}


def test_parse_pairs():
    assert parse_pairs("Senin | 08.00\n\nJumat", "hours") == [
        {"days": "Senin", "time": "08.00"},
        {"days": "Jumat", "time": ""},
    ]
