"""Slip layout: every requirement, words intact, within the paper's columns."""

from __future__ import annotations

import re

import pytest

from kiosk.catalog.model import Requirement
from kiosk.config import load_config
from kiosk.slips.layout import (
    COLUMNS,
    Line,
    Qr,
    index_slip,
    preview,
    service_slip,
    short_codes,
    wrap,
)
from kiosk.slips.printable import to_printable


@pytest.fixture
def hall_config(tmp_path):
    return load_config(
        env={},
        overrides={
            "state_dir": str(tmp_path),
            "portal_address": "10.42.0.1",
            "village": "watesprojo",
        },
    )


def tokens(lines: list[str]) -> list[str]:
    return " ".join(lines).split()


def contains_run(haystack: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Senin\u2013Kamis", "Senin-Kamis"),
        ("08.00 \u2014 15.00", "08.00 - 15.00"),
        ("\u00b1 3 hari", "+/- 3 hari"),
        ("\u201casli\u201d dan \u2018fotokopi\u2019", "\"asli\" dan 'fotokopi'"),
        ("caf\u00e9 \u00c9mile na\u00efve", "cafe Emile naive"),
        ("Rp\u00a010.000", "Rp 10.000"),
        ("tunggu\u2026", "tunggu..."),
        ("\u2022 KK", "* KK"),
        ("\u00bd lembar", "1/2 lembar"),
        ("\u4e2d \U0001f600", "? ?"),
    ],
)
def test_transliteration_gives_plain_ascii(text, expected):
    assert to_printable(text) == expected


def test_wrap_keeps_words_whole_and_fits():
    text = "Surat pengantar dari RT/RW dan Kepala Desa yang menyatakan domisili pemohon"
    for width in (32, 48, 20):
        lines = wrap(text, width, first="[ ] ", rest="    ")
        assert all(len(line) <= width for line in lines)
        assert tokens(lines) == ["[", "]"] + text.split()
        assert lines[0].startswith("[ ] ") and all(x.startswith("    ") for x in lines[1:])


def test_a_word_longer_than_the_line_breaks_after_a_slash():
    url = "http://10.42.0.1/layanan/rekomendasi-izin-guna-jalan"
    lines = wrap(url, 32)
    assert lines == ["http://10.42.0.1/layanan/", "rekomendasi-izin-guna-jalan"]


def test_every_service_slip_lists_every_requirement_within_the_width(bundled_catalog, hall_config):
    for width in (58, 80):
        for service in bundled_catalog.services:
            slip = service_slip(bundled_catalog, service, hall_config, width)
            assert all(len(line) <= COLUMNS[width] for line in slip.lines), service.id
            words = tokens(slip.lines)
            boxes = [line for line in slip.lines if line.startswith("[ ] ")]
            assert len(boxes) == len(service.requirements), service.id
            for req in service.requirements:
                assert contains_run(words, to_printable(req.document).split()), (service.id, req)
            assert slip.qr_payloads == [f"http://10.42.0.1/layanan/{service.id}"]
            assert contains_run(words, to_printable(service.name).split())


def test_slip_header_fee_date_and_steps(bundled_catalog, hall_config):
    service = bundled_catalog.service("ktp-el-baru")
    slip = service_slip(bundled_catalog, service, hall_config)
    lines = [item for item in slip.items if isinstance(item, Line)]
    assert lines[0] == Line("KECAMATAN KEMLAGI", bold=True, center=True)
    assert lines[1].text == "Balai Desa Watesprojo"
    assert Line("Biaya: GRATIS", bold=True) in lines
    assert "Diperiksa 27 November 2026." in slip.lines
    assert "Yang harus dibawa:" in slip.lines and "Langkah:" in slip.lines
    assert any(line.startswith("3. ") for line in slip.lines)
    assert "Belum dipastikan kecamatan. Tanyakan lagi di kantor." in " ".join(slip.lines)


def test_paid_service_is_not_gratis(bundled_catalog, hall_config):
    paid = [s for s in bundled_catalog.services if not s.is_free]
    assert paid, "the catalog has a service that is not free"
    for service in paid:
        slip = service_slip(bundled_catalog, service, hall_config)
        assert not any("GRATIS" in line for line in slip.lines), service.id


def test_public_url_gives_a_second_qr(bundled_catalog, hall_config):
    config = hall_config.replace(public_url="https://layanan.kemlagi.example/")
    slip = service_slip(bundled_catalog, bundled_catalog.service("kia"), config)
    assert slip.qr_payloads == [
        "http://10.42.0.1/layanan/kia",
        "https://layanan.kemlagi.example/layanan/kia",
    ]


def test_unprintable_catalog_text_is_transliterated(bundled_catalog, hall_config):
    service = bundled_catalog.service("kia")
    odd = service.__class__(
        **{
            **service.__dict__,
            "name": "KIA \u2013 \u201cKartu\u201d Anak",
            "requirements": (
                Requirement(document="Akta kelahiran \u00b1 asli (caf\u00e9)", copy="asli"),
            ),
        }
    )
    slip = service_slip(bundled_catalog, odd, hall_config)
    text = "\n".join(slip.lines)
    assert text.isascii()
    assert 'KIA - "Kartu" Anak' in text
    assert contains_run(tokens(slip.lines), "[ ] Akta kelahiran +/- asli (cafe)".split())


def test_index_lists_every_service_with_a_code(bundled_catalog, hall_config):
    slip = index_slip(bundled_catalog, hall_config)
    codes = short_codes(bundled_catalog)
    assert sorted(codes.values()) == [f"{i:02d}" for i in range(1, len(codes) + 1)]
    words = tokens(slip.lines)
    for service in bundled_catalog.services:
        assert contains_run(words, [codes[service.id]] + to_printable(service.name).split())
    assert slip.qr_payloads == ["http://10.42.0.1/"]
    assert all(len(line) <= 32 for line in slip.lines)


def test_preview_shows_every_line_and_the_qr(bundled_catalog, hall_config):
    slip = service_slip(bundled_catalog, bundled_catalog.service("kk-baru"), hall_config)
    text = preview(slip)
    rows = text.splitlines()
    assert all(len(row) == 34 for row in rows[:-1])
    assert rows[-1] == "(cut)"
    assert sum("[QR]" in row for row in rows) == sum(isinstance(i, Qr) for i in slip.items) == 1
    for line in slip.lines:
        assert re.search(re.escape(line.strip()), text)
