"""Form parsing: every field capped, every choice from its list, consent for contacts."""

from __future__ import annotations

import pytest

from kiosk.records import problems_of
from kiosk.voice import forms, skm

GOOD_SURVEY = {
    **{key: str(n % 4 + 1) for n, key in enumerate(skm.ELEMENTS)},
    "kapan": "minggu-ini",
    "layanan": "kia",
    "jenis_kelamin": "P",
    "usia": "30-39",
    "pendidikan": "sma",
    "pekerjaan": "wirausaha",
    "saran": "  Antrean\r\nlebih tertib. \x07 ",
}


def test_survey_answers_are_stored_by_key_not_position():
    parsed = forms.parse_survey(GOOD_SURVEY, ["kia", "skck"])
    assert parsed.ok, parsed.errors
    body = parsed.body
    assert body["answers"] == {key: n % 4 + 1 for n, key in enumerate(skm.ELEMENTS)}
    assert body["answers"]["pengaduan"] == 1 and body["answers"]["sarana_prasarana"] == 4
    assert body["respondent"] == {
        "jenis_kelamin": "P",
        "usia": "30-39",
        "pendidikan": "sma",
        "pekerjaan": "wirausaha",
    }
    assert body["saran"] == "Antrean\nlebih tertib."
    assert problems_of("survey", body) == []


def test_survey_respondent_fields_are_optional():
    fields = {k: v for k, v in GOOD_SURVEY.items() if k in skm.ELEMENTS or k == "kapan"}
    parsed = forms.parse_survey(fields, ["kia"])
    assert parsed.ok
    assert parsed.body["service"] is None and parsed.body["saran"] is None
    assert set(parsed.body["respondent"].values()) == {None}


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"waktu": ""}, "waktu", "missing"),
        ({"waktu": "5"}, "waktu", "invalid"),
        ({"kapan": "kemarin"}, "kapan", "invalid"),
        ({"layanan": "tidak-ada"}, "layanan", "invalid"),
        ({"usia": "37"}, "usia", "invalid"),
        ({"saran": "x" * 501}, "saran", "too_long"),
    ],
)
def test_survey_errors(change, field, code):
    parsed = forms.parse_survey({**GOOD_SURVEY, **change}, ["kia"])
    assert parsed.errors == {field: code}


def test_feedback():
    parsed = forms.parse_feedback({"jawaban": "kurang", "catatan": "Perlu fotokopi KK."}, "kia")
    assert parsed.body == {"service": "kia", "answer": "kurang", "note": "Perlu fotokopi KK."}
    assert problems_of("feedback", parsed.body) == []
    assert forms.parse_feedback({"jawaban": "kurang", "catatan": "x" * 281}, "kia").errors == {
        "catatan": "too_long"
    }
    assert forms.parse_feedback({}, "kia").errors == {"jawaban": "missing"}


def test_complaint_without_contact_is_anonymous():
    parsed = forms.parse_complaint({"kategori": "dukcapil", "isi": "Antrean KTP tiga jam."}, "T")
    assert parsed.ok
    assert parsed.body["contact"] is None and parsed.body["consent"] is False
    assert problems_of("complaint", parsed.body) == []


def test_contact_needs_consent():
    fields = {"kategori": "lainnya", "isi": "Printer kios macet.", "hp": "0812-3456-7890"}
    assert forms.parse_complaint(fields, "T").errors == {"setuju": "missing"}
    parsed = forms.parse_complaint({**fields, "setuju": "ya", "nama": "Siti"}, "T")
    assert parsed.body["contact"] == {"name": "Siti", "phone": "081234567890"}
    assert parsed.body["consent"] is True
    assert parsed.body["consent_version"] == forms.CONSENT_VERSION


@pytest.mark.parametrize("phone", ["12345", "0812abc4567", "0812 3456 7890 1234 5678"])
def test_bad_phone_numbers(phone):
    fields = {"kategori": "lainnya", "isi": "Printer kios macet.", "hp": phone, "setuju": "ya"}
    assert forms.parse_complaint(fields, "T").errors == {"hp": "invalid"}


def test_complaint_text_bounds():
    short = forms.parse_complaint({"kategori": "lainnya", "isi": "rusak"}, "T")
    assert short.errors == {"isi": "too_short"}
    long = forms.parse_complaint({"kategori": "lainnya", "isi": "a" * 1001}, "T")
    assert long.errors == {"isi": "too_long"}
    huge = forms.parse_complaint({"kategori": "x" * 10**6, "isi": "b" * 10**6}, "T")
    assert huge.errors == {"kategori": "invalid", "isi": "too_long"}
    assert len(huge.values["isi"]) <= forms.FIELD_MAX
