"""Form fields ↔ a service's YAML: every field, rows added, removed and reordered."""

from __future__ import annotations

import pytest

from kiosk.catalog.load import check_catalog_dir
from kiosk.hub.editor.service_form import (
    apply_form,
    form_from_request,
    form_from_yaml,
    parse_fee,
    posted_fields,
)
from kiosk.hub.editor.source import CatalogSource, dump

from ...conftest import CATALOG_DIR

SOURCE = CatalogSource(CATALOG_DIR)


def edited(name: str, change) -> tuple[str, str]:
    """(original text, text after posting the form with ``change`` applied to its fields)."""
    opened = SOURCE.read(f"services/{name}.yaml")
    fields = posted_fields(form_from_yaml(opened.data()))
    change(fields)
    doc = opened.data()
    apply_form(doc, form_from_request(fields))
    return opened.text, dump(doc)


@pytest.mark.parametrize("name", SOURCE.service_names())
def test_posting_the_form_unchanged_changes_no_byte(name):
    before, after = edited(name, lambda fields: None)
    assert after == before


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    import difflib

    diff = difflib.ndiff(before.splitlines(), after.splitlines())
    return [line for line in diff if line[:1] in "+-"]


def test_fee_and_name_change_only_their_lines():
    def change(fields):
        fields["fee"] = "Rp 15.000"
        fields["name"] = "Akta Kelahiran Anak"

    before, after = edited("akta-kelahiran", change)
    assert changed_lines(before, after) == [
        "- name: Akta Kelahiran",
        "+ name: Akta Kelahiran Anak",
        "- fee: 0",
        "+ fee: 15000",
    ]


def test_fee_belum_pasti():
    def change(fields):
        fields["fee_unknown"] = "1"

    _, after = edited("akta-kelahiran", change)
    assert "\nfee: belum-pasti\n" in after


@pytest.mark.parametrize(
    "typed, unknown, written",
    [
        ("0", False, 0),
        ("15000", False, 15000),
        ("Rp 15.000", False, 15000),
        ("rp.2.500", False, 2500),
        ("lima ribu", False, "lima ribu"),
        ("-5", False, "-5"),
        ("", False, ""),
        ("10000", True, "belum-pasti"),
    ],
)
def test_parse_fee(typed, unknown, written):
    assert parse_fee(typed, unknown) == written


def test_requirements_reorder_delete_and_add_keep_comments_of_moved_rows():
    def change(fields):
        fields["requirements-0-order"] = "3.5"  # formulir goes after the third row (order 3)
        fields["requirements-1-delete"] = "1"
        fields["requirements-9-document"] = "Pas foto 3x4"
        fields["requirements-9-copy"] = "asli"
        fields["requirements-9-count"] = "2"
        fields["requirements-9-when"] = ""
        fields["requirements-9-note"] = "Latar merah."

    _, after = edited("akta-kelahiran", change)
    from ruamel.yaml import YAML

    new = YAML(typ="safe").load(after)
    documents = [r["document"] for r in new["requirements"]]
    assert documents[:3] == [
        "Surat keterangan kelahiran dari desa",
        "Formulir pelaporan kelahiran (F-2.01)",
        "Buku nikah atau akta perkawinan orang tua",
    ]
    assert new["requirements"][0]["when"] == "jika bayi lahir di rumah"
    assert new["requirements"][1]["note"] == "Minta formulirnya ke petugas."
    assert new["requirements"][-1] == {
        "document": "Pas foto 3x4",
        "copy": "asli",
        "count": 2,
        "note": "Latar merah.",
    }
    assert "Surat kelahiran dari bidan" not in after


def test_move_and_add_buttons_change_rows_without_saving():
    fields = posted_fields(form_from_yaml(SOURCE.read("services/kia.yaml").data()))
    first, second = fields["steps-0-text"], fields["steps-1-text"]
    form = form_from_request({**fields, "move": "steps-1-up"})
    assert [r.values["text"] for r in form.rows["steps"][:2]] == [second, first]
    form = form_from_request({**fields, "add": "requirements"})
    assert form.rows["requirements"][-1].orig is None
    assert len(form.rows["requirements"]) == len(form_from_request(fields).rows["requirements"]) + 1


def test_every_field_reaches_the_yaml(catalog_copy):
    def change(fields):
        fields.update(
            {
                "name": "Nama baru",
                "summary": "Ringkasan baru.",
                "category": "pindah",
                "time": "± 1 jam",
                "fee": "2500",
                "fee_note": "Bayar di loket.",
                "product": "Surat baru",
                "legal_basis": "Perbup 1/2026\nPerda 2/2026",
                "keywords": "satu\n\n dua ",
                "notice": "Bawa pulpen.",
                "steps-0-at": "desa",
                "steps-0-text": "Datang ke desa.",
                "review-source": "Petugas PATEN",
                "review-notes": "dicek",
            }
        )

    _, after = edited("kia", change)
    (catalog_copy / "services" / "kia.yaml").write_text(after, encoding="utf-8")
    catalog, problems = check_catalog_dir(catalog_copy)
    assert problems == []
    kia = catalog.service("kia")
    assert (kia.name, kia.summary, kia.category, kia.time, kia.fee, kia.fee_note) == (
        "Nama baru",
        "Ringkasan baru.",
        "pindah",
        "± 1 jam",
        2500,
        "Bayar di loket.",
    )
    assert (kia.product, kia.legal_basis, kia.keywords, kia.notice) == (
        "Surat baru",
        ("Perbup 1/2026", "Perda 2/2026"),
        ("satu", "dua"),
        "Bawa pulpen.",
    )
    assert (kia.steps[0].at, kia.steps[0].text) == ("desa", "Datang ke desa.")
    assert (kia.review.source, kia.review.notes) == ("Petugas PATEN", "dicek")
