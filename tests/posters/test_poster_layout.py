"""The poster layout as data: every village fits, words match the settings, QRs are big."""

from __future__ import annotations

import pytest

from kiosk.errors import ConfigError, KioskError
from kiosk.posters import text as T
from kiosk.posters.layout import (
    QR,
    QUIET_ZONE,
    Rect,
    Text,
    find_village,
    poster_layout,
    social_layout,
)
from kiosk.posters.metrics import text_width, winansi, wrap
from kiosk.posters.payloads import wifi_payload

from .conftest import AWKWARD_VILLAGES, TRICKY_WIFI


def flat(poster) -> str:
    """All words on the poster as one line, for 'does it say X' checks."""
    return " ".join(t.text for t in poster.texts)


def assert_fits(poster) -> None:
    """No text runs past its box or the page; every QR sits on white with its quiet zone."""
    for t in poster.texts:
        assert t.left >= 0 and t.left + t.width <= poster.width + 1e-6, t
        assert 0 < t.y <= poster.height, t
        if t.max_width:
            assert t.width <= t.max_width + 1e-6, t
            if t.anchor == "middle":
                assert t.width / 2 <= min(t.x, poster.width - t.x) + 1e-6, t
    for qr in poster.qrs:
        assert qr.count == len(qr.modules) + 2 * QUIET_ZONE
        assert Rect(qr.x, qr.y, qr.size, qr.size, "#ffffff") in poster.elements
        assert 0 <= qr.x and qr.x + qr.size <= poster.width
        assert 0 <= qr.y and qr.y + qr.size <= poster.height
        assert qr.version.endswith("-H")


def test_every_village_of_the_catalog_fits(bundled_catalog, poster_config):
    assert len(bundled_catalog.villages) == 20
    for village in bundled_catalog.villages:
        poster = poster_layout(village, bundled_catalog, poster_config)
        social = social_layout(village, bundled_catalog, poster_config)
        for p in (poster, social):
            assert_fits(p)
            assert f"Balai Desa {village.name}" in flat(p)
            assert f"Info Desa {village.name}" in flat(p)
        for qr in poster.qrs:
            assert qr.symbol_mm >= 60, (village.id, qr.role, qr.symbol_mm)
            assert qr.module_mm >= 1.5


@pytest.mark.parametrize("village", AWKWARD_VILLAGES, ids=lambda v: v.id)
def test_awkward_names_wrap_or_shrink_but_stay_on_the_page(awkward_catalog, poster_config, village):
    config = poster_config.replace(ssid="Pelita Kiosk")  # "Info Desa <long name>" > 32 bytes
    poster = poster_layout(village, awkward_catalog, config)
    social = social_layout(village, awkward_catalog, config)
    for p in (poster, social):
        assert_fits(p)
    header = poster.elements[0]
    assert isinstance(header, Rect) and header.y == 0
    title = [t for t in poster.texts if t.size >= 18 and t.y < header.h]
    assert 1 <= len(title) <= 2
    assert "".join(t.text for t in title).replace(" ", "") == (
        T.TITLE.format(desa=village.name).replace(" ", "")
    )


@pytest.mark.parametrize("ssid, password, public_url", TRICKY_WIFI)
def test_words_and_payloads_match_the_settings(
    bundled_catalog, poster_config, ssid, password, public_url
):
    config = poster_config.replace(ssid=ssid, wifi_password=password, public_url=public_url)
    village = find_village(bundled_catalog, "kemlagi")
    poster = poster_layout(village, bundled_catalog, config)
    assert_fits(poster)
    assert poster.qr("wifi").payload == wifi_payload(ssid, password)
    assert poster.qr("portal").payload == "http://10.42.0.1/"
    words = flat(poster)
    for line in (
        T.ONE_LINER,
        "Balai Desa Kemlagi",
        "Kecamatan Kemlagi, Kabupaten Mojokerto",
        T.SSID_LABEL,
        "http://10.42.0.1",
        T.NOT_OPENING_HEADING,
        T.NOT_OPENING_STEPS[0],
        T.PRINT_HEADING,
        "Kantor Kecamatan Kemlagi",
        "SP4N-LAPOR!: lapor.go.id",
    ):
        assert line in words
    # The SSID (and password) may wrap, but read back whole, and large.
    ssid_lines = _lines_after(poster, T.SSID_LABEL, ssid)
    assert " ".join(t.text for t in ssid_lines) == " ".join(ssid.split()) or (
        "".join(t.text for t in ssid_lines) == ssid.replace(" ", "")
    )
    assert min(t.size for t in ssid_lines) >= 14
    expected = T.PASSWORD_LABEL.format(password=password) if password else T.NO_PASSWORD
    assert expected.replace(" ", "") in words.replace(" ", "")

    social = social_layout(village, bundled_catalog, config)
    assert_fits(social)
    roles = {"wifi", "portal", "public"} if public_url else {"wifi", "portal"}
    assert {q.role for q in social.qrs} == roles
    assert {q.payload for q in social.qrs} >= {wifi_payload(ssid, password), "http://10.42.0.1/"}
    if public_url:
        assert social.qr("public").payload == public_url


def _lines_after(poster, label: str, value: str) -> list[Text]:
    texts = poster.texts
    start = next(i for i, t in enumerate(texts) if t.text == label) + 1
    taken, length = [], 0
    target = len(value.replace(" ", ""))
    while length < target:
        taken.append(texts[start + len(taken)])
        length += len(taken[-1].text.replace(" ", ""))
    return taken


def test_a_templated_ssid_longer_than_wifi_allows_is_refused(awkward_catalog, poster_config):
    village = find_village(awkward_catalog, "sambung")
    with pytest.raises(ConfigError, match="at most 32 bytes"):
        poster_layout(village, awkward_catalog, poster_config)


def test_portal_address_comes_from_the_settings(bundled_catalog, poster_config):
    village = find_village(bundled_catalog, "betro")
    poster = poster_layout(
        village, bundled_catalog, poster_config.replace(portal_address="192.168.4.1:8080")
    )
    assert poster.qr("portal").payload == "http://192.168.4.1:8080/"
    assert "http://192.168.4.1:8080" in flat(poster)
    # Without one, the hotspot's usual IP, never the demo's 127.0.0.1.
    poster = poster_layout(village, bundled_catalog, poster_config.replace(portal_address=""))
    assert poster.qr("portal").payload == "http://10.42.0.1/"


def test_contacts_and_complaints_come_from_the_catalog(bundled_catalog, poster_config):
    """What is filled in is shown; what is not yet ("[Diisi kecamatan]") is left out."""
    import dataclasses

    from kiosk.catalog.model import Contact

    office = dataclasses.replace(
        bundled_catalog.head_office, contacts=(Contact("Telepon / WA", "0321-123456"),)
    )
    catalog = dataclasses.replace(
        bundled_catalog,
        offices=tuple(office if o.id == office.id else o for o in bundled_catalog.offices),
    )
    words = flat(poster_layout(catalog.villages[0], catalog, poster_config)).replace("\n", " ")
    assert "Telepon / WA: 0321-123456" in words
    assert "SP4N-LAPOR!: lapor.go.id" in words
    assert "[Diisi" not in words


def test_contacts_too_long_for_a4_are_a_clear_error(bundled_catalog, poster_config):
    import dataclasses

    from kiosk.catalog.model import Contact

    office = bundled_catalog.head_office
    long_office = dataclasses.replace(
        office, contacts=tuple(Contact(f"Telepon {i}", "0821-0000-0000 " * 8) for i in range(30))
    )
    offices = tuple(long_office if o.id == office.id else o for o in bundled_catalog.offices)
    catalog = dataclasses.replace(bundled_catalog, offices=offices)
    with pytest.raises(KioskError, match="too long to fit on A4"):
        poster_layout(catalog.villages[0], catalog, poster_config)
    # A few more lines shrink the lower part instead of failing.
    some_office = dataclasses.replace(office, contacts=office.contacts * 4)
    offices = tuple(some_office if o.id == office.id else o for o in bundled_catalog.offices)
    catalog = dataclasses.replace(bundled_catalog, offices=offices)
    assert_fits(poster_layout(catalog.villages[0], catalog, poster_config))


@pytest.mark.parametrize("name", ["kemlagi", "KEMLAGI", "Kemlagi", " kemlagi "])
def test_find_village_by_id_or_name_any_case(bundled_catalog, name):
    assert find_village(bundled_catalog, name).id == "kemlagi"


def test_unknown_village_lists_the_known_ones(bundled_catalog):
    with pytest.raises(KioskError) as info:
        find_village(bundled_catalog, "Atlantis")
    message = str(info.value)
    assert "'Atlantis' is not in the catalog" in message
    for village in bundled_catalog.villages:
        assert village.id in message


def test_qr_elements_carry_the_segno_matrix(bundled_catalog, poster_config):
    poster = poster_layout(bundled_catalog.villages[0], bundled_catalog, poster_config)
    wifi = poster.qr("wifi")
    assert isinstance(wifi, QR)
    n = len(wifi.modules)
    assert all(len(row) == n for row in wifi.modules)
    assert n == 17 + 4 * int(wifi.version.split("-")[0])
    # Finder pattern in the top-left corner: a dark 7×7 ring.
    assert all(wifi.modules[0][:7]) and all(wifi.modules[6][:7]) and not wifi.modules[1][1]


@pytest.mark.parametrize(
    "text, width",
    [
        ("Cek persyaratan sebelum ke kecamatan — gratis, tanpa kuota", 40),
        ("https://kemlagi.mojokertokab.go.id/layanan/syarat?x=1&y=2", 25),
        ("Mojowatesrejomojopilangmojokusumotanjungan", 30),
        ("a " * 50, 10),
    ],
)
def test_wrap_never_exceeds_the_width(text, width):
    lines = wrap(text, 12, True, width)
    assert all(text_width(line, 12, True) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_long_addresses_break_after_a_slash_or_dot():
    lines = wrap("https://kemlagi.mojokertokab.go.id/layanan/", 18, True, 45)
    assert len(lines) > 1
    assert all(line[-1] in "/._-" for line in lines[:-1])


def test_winansi_keeps_what_the_pdf_fonts_have():
    assert winansi("Kémlagi — Ñgawi") == "Kémlagi — Ñgawi"
    assert winansi("Kāmlagi") == "Kamlagi"
    assert winansi("kopi ☕") == "kopi ?"
