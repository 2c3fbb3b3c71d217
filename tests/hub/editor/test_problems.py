"""Problems in plain Indonesian, on the input they are about."""

from __future__ import annotations

import pytest

from kiosk.catalog.load import Problem
from kiosk.hub.editor.problems import field_errors, form_key, label, message


@pytest.mark.parametrize(
    "field, key",
    [
        ("fee", "fee"),
        ("requirements[2].document", "requirements-2-document"),
        ("steps[0].at", "steps-0-at"),
        ("review.confirmed_by", "review-confirmed_by"),
        ("keywords[3]", "keywords"),
        ("legal_basis", "legal_basis"),
        ("offices[1].hours[0].time", "offices-1-hours"),
        ("complaints[0].value", "complaints"),
    ],
)
def test_form_key(field, key):
    assert form_key(field) == key


@pytest.mark.parametrize(
    "problem, words",
    [
        (
            Problem("s.yaml", "fee", "x", code="bad_fee", value="lima ribu"),
            "Isi biaya dalam rupiah, angka saja (0 berarti gratis), atau centang «belum pasti» "
            "(sekarang: «lima ribu»).",
        ),
        (
            Problem("s.yaml", "fee", "x", code="missing"),
            "Isi biaya (0 berarti gratis), atau centang «belum pasti».",
        ),
        (Problem("s.yaml", "name", "x", code="missing"), "Wajib diisi."),
        (
            Problem("s.yaml", "fee", "x", code="bad_fee", value=""),
            "Isi biaya (0 berarti gratis), atau centang «belum pasti».",
        ),
        (Problem("s.yaml", "steps[0].at", "x", code="bad_id", value=""), "Wajib diisi."),
        (
            Problem("s.yaml", "steps[1].at", "x", code="unknown_office", value="pos"),
            "Kantor «pos» belum ada di daftar kantor; pilih kantor yang ada.",
        ),
        (Problem("s.yaml", "x", "x", code="a-new-code"), "Ada yang salah di sini."),
    ],
)
def test_message(problem, words):
    assert message(problem) == words


def test_label():
    assert label("requirements[2].document") == "Persyaratan 3: Dokumen"


def test_field_errors_split_this_file_from_others():
    errors = field_errors(
        [
            Problem("services/kia.yaml", "fee", "x", code="bad_fee", value="-5"),
            Problem("services/kia.yaml", "fee", "x", code="bad_fee", value="-5"),
            Problem("offices.yaml", "offices[1].name", "x", code="missing"),
        ],
        "services/kia.yaml",
    )
    assert list(errors.by_field) == ["fee"]
    assert errors.elsewhere == ["offices.yaml, Kantor 2: Nama: Wajib diisi."]
    assert errors.count == 3
