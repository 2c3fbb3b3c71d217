"""Slip layout: every requirement, words intact, within the paper's columns."""

from __future__ import annotations

import dataclasses
import re

import pytest

from bench.paper import grown_catalog
from kiosk.catalog.model import Hours, Requirement
from kiosk.slips.layout import (
    COLUMNS,
    INDEX_MAX_LINES,
    SMALL_COLUMNS,
    Line,
    Qr,
    copy_mark,
    index_body,
    index_slip,
    preview,
    service_slip,
    short_codes,
    short_office_name,
    wrap,
)
from kiosk.slips.printable import to_printable


@pytest.fixture
def hall_config(hall_config):
    return hall_config.replace(village="watesprojo")


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
            for item in slip.items:
                if isinstance(item, Line):
                    limit = (SMALL_COLUMNS if item.small else COLUMNS)[width]
                    assert len(item.text) <= limit, (service.id, item)
            big = [i.text for i in slip.items if isinstance(i, Line) and not i.small]
            boxes = [line for line in big if line.startswith("[ ] ")]
            assert len(boxes) == len(service.requirements), service.id
            words = tokens(slip.lines)
            for req in service.requirements:
                wanted = f"{req.document} ({copy_mark(req)})"
                assert contains_run(tokens(big), to_printable(wanted).split()), (service.id, req)
                if req.when:
                    flat = " ".join(words).lower()
                    assert " ".join(to_printable(req.when).lower().split()) in flat, service.id
            assert slip.qr_payloads == [f"http://10.42.0.1/layanan/{service.id}"]
            assert contains_run(words, to_printable(service.name).split())


@pytest.mark.parametrize(
    ("copy", "count", "mark"),
    [("asli", 1, "asli"), ("fotokopi", 1, "FC"), ("asli-dan-fotokopi", 2, "asli + FC, 2 lembar")],
)
def test_copy_marks_are_short(copy, count, mark):
    assert copy_mark(Requirement(document="KTP", copy=copy, count=count)) == mark


def test_the_checklist_comes_first_in_font_a(bundled_catalog, hall_config):
    service = bundled_catalog.service("akta-kelahiran")
    slip = service_slip(bundled_catalog, service, hall_config)
    lines = [item for item in slip.items if isinstance(item, Line)]
    assert lines[0] == Line("Kecamatan Kemlagi - Balai Desa Watesprojo", center=True, small=True)
    assert lines[1] == Line("Akta Kelahiran", bold=True)
    bring = slip.lines.index("Yang harus dibawa:")
    boxes = [n for n, line in enumerate(lines) if line.text.startswith("[ ] ")]
    assert bring < boxes[0] and all(not lines[n].small for n in boxes)
    # Fee, time and where come after the checklist, in the small font.
    fee = next(n for n, line in enumerate(lines) if line.text.startswith("Biaya: GRATIS."))
    assert fee > boxes[-1] and lines[fee].small
    assert "Waktu: paling lama 3 hari." in " ".join(slip.lines)
    # A condition only where it applies, under its document.
    conditions = [line.text.strip() for line in lines if line.small and "Jika" in line.text]
    assert conditions[0] == "Jika bayi lahir di rumah."
    # The steps stay on the page the QR opens.
    assert "Langkah:" not in slip.lines
    assert not any("register" in line for line in slip.lines)


def test_where_is_the_short_office_name_without_placeholders(bundled_catalog, hall_config):
    slip = service_slip(bundled_catalog, bundled_catalog.service("akta-kelahiran"), hall_config)
    text = " ".join(slip.lines)
    assert "Tempat: Dispendukcapil Kabupaten Mojokerto." in text
    assert "Tanyakan jam buka di kantor desa." in text
    assert "[" not in text.replace("[ ]", "")


@pytest.mark.parametrize(
    ("name", "short"),
    [
        (
            "Dinas Kependudukan dan Pencatatan Sipil (Dispendukcapil) Kabupaten Mojokerto",
            "Dispendukcapil Kabupaten Mojokerto",
        ),
        ("KUA (Kantor Urusan Agama) Kecamatan Kemlagi", "KUA Kecamatan Kemlagi"),
        ("Polsek (Kepolisian Sektor)", "Polsek"),
        ("Kantor Kecamatan Kemlagi", "Kantor Kecamatan Kemlagi"),
    ],
)
def test_short_office_names(name, short):
    assert short_office_name(name) == short


def test_filled_hours_are_printed(bundled_catalog, hall_config):
    office = bundled_catalog.office("dispendukcapil")
    filled = dataclasses.replace(office, hours=(Hours("Senin-Jumat", "08.00-14.00"),))
    offices = tuple(filled if o.id == office.id else o for o in bundled_catalog.offices)
    catalog = dataclasses.replace(bundled_catalog, offices=offices)
    slip = service_slip(catalog, catalog.service("akta-kelahiran"), hall_config)
    assert "Buka: Senin-Jumat 08.00-14.00." in slip.lines
    assert "Tanyakan jam buka di kantor desa." not in slip.lines


def test_paid_service_is_not_gratis(bundled_catalog, hall_config):
    paid = [s for s in bundled_catalog.services if not s.is_free]
    assert paid, "the catalog has a service that is not free"
    for service in paid:
        slip = service_slip(bundled_catalog, service, hall_config)
        assert not any("GRATIS" in line for line in slip.lines), service.id
        fee = "Biaya: Rp " if service.fee else "Biaya: Belum pasti"
        assert any(line.startswith(fee) for line in slip.lines), service.id


def test_public_url_gives_a_second_qr(bundled_catalog, hall_config):
    config = hall_config.replace(public_url="https://layanan.kemlagi.example/")
    slip = service_slip(bundled_catalog, bundled_catalog.service("kia"), config)
    assert slip.qr_payloads == [
        "http://10.42.0.1/layanan/kia",
        "https://layanan.kemlagi.example/layanan/kia",
    ]


def test_unprintable_catalog_text_is_transliterated(bundled_catalog, hall_config):
    service = bundled_catalog.service("kia")
    odd = dataclasses.replace(
        service,
        name="KIA \u2013 \u201cKartu\u201d Anak",
        requirements=(Requirement(document="Akta kelahiran \u00b1 (caf\u00e9)", copy="asli"),),
    )
    catalog = dataclasses.replace(
        bundled_catalog,
        services=tuple(odd if s.id == "kia" else s for s in bundled_catalog.services),
    )
    slip = service_slip(catalog, odd, hall_config)
    text = "\n".join(slip.lines)
    assert text.isascii()
    assert 'KIA - "Kartu" Anak' in text
    assert contains_run(tokens(slip.lines), "[ ] Akta kelahiran +/- (cafe) (asli)".split())


def test_index_lists_every_category_and_codes_that_fit(bundled_catalog, hall_config):
    slip = index_slip(bundled_catalog, hall_config)
    codes = short_codes(bundled_catalog)
    assert sorted(codes.values()) == [f"{i:02d}" for i in range(1, len(codes) + 1)]
    words = tokens(slip.lines)
    listed = 0
    for category in bundled_catalog.categories:
        services = bundled_catalog.services_in(category.id)
        assert category.name in slip.lines
        shown = [
            s for s in services if contains_run(words, [codes[s.id], *to_printable(s.name).split()])
        ]
        listed += len(shown)
        if len(shown) < len(services):
            assert f"+ {len(services) - len(shown)} layanan lain: lihat di HP" in slip.lines
    assert listed >= len(bundled_catalog.categories)
    assert slip.qr_payloads == ["http://10.42.0.1/"]


def test_index_stays_the_same_size_for_a_big_catalog(bundled_catalog, hall_config):
    big = grown_catalog(bundled_catalog, 400)
    body = index_body(big, 58)
    assert len(body) <= INDEX_MAX_LINES
    assert (
        len(index_slip(big, hall_config).items)
        <= len(index_slip(bundled_catalog, hall_config).items) + 2
    )


def test_preview_shows_every_line_and_the_qr(bundled_catalog, hall_config):
    slip = service_slip(bundled_catalog, bundled_catalog.service("kk-baru"), hall_config)
    text = preview(slip)
    rows = text.splitlines()
    assert all(len(row) == SMALL_COLUMNS[58] + 2 for row in rows[:-1])
    assert rows[-1] == "(cut)"
    assert sum("[QR]" in row for row in rows) == sum(isinstance(i, Qr) for i in slip.items) == 1
    for line in slip.lines:
        assert re.search(re.escape(line.strip()), text)
