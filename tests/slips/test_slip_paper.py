"""Acceptance of issue 17: slips short enough for the hand and the roll, nothing lost.

Every length is measured from the bytes a slip sends (kiosk/printer/paper.py) and
cross-checked with a count made from the independent decoder (tests/escpos_decode.py).
"""

from __future__ import annotations

import statistics

import pytest

from bench.paper import grown_catalog
from kiosk.printer.paper import LineModel, paper_dots, paper_mm
from kiosk.slips.layout import copy_mark, index_slip, service_slip
from kiosk.slips.printable import to_printable
from kiosk.slips.render import DEFAULT_PROFILES, SPACING, slip_bytes
from tests.escpos_decode import decode

MM_PER_DOT = 25.4 / 203


def flat(text: str) -> str:
    return " ".join(to_printable(text).split())


def decoded_length_mm(decoded) -> float:
    """The slip's length from the decoder: every line at the spacing the slip sets
    for its font, every image at its height, the feed at the end."""
    dots = sum(SPACING[line.small] for line in decoded.lines)
    dots += sum(image.height for image in decoded.images)
    dots += sum(event[1] * SPACING[False] for event in decoded.events if event[0] == "feed")
    return dots * MM_PER_DOT


def test_every_58mm_slip_fits_the_hand_and_keeps_every_requirement(bundled_catalog, hall_config):
    lengths = {}
    for service in bundled_catalog.services:
        slip = service_slip(bundled_catalog, service, hall_config, 58)
        data = slip_bytes(slip, "POS-5890")
        decoded = decode(data)
        text = flat(" ".join(decoded.text))
        for req in service.requirements:
            assert flat(f"{req.document} ({copy_mark(req)})") in text, (service.id, req)
            if req.when:
                assert flat(req.when).lower() in text.lower(), (service.id, req)
        assert decoded.qr_payloads() == [f"http://10.42.0.1/layanan/{service.id}"]
        lengths[service.id] = paper_mm(data, "POS-5890")
        assert lengths[service.id] == pytest.approx(decoded_length_mm(decoded), abs=0.2)
    assert max(lengths.values()) <= 250, lengths
    assert statistics.median(lengths.values()) <= 180, lengths


@pytest.mark.parametrize("size", [None, 400])
def test_index_slip_is_short_at_any_catalog_size(bundled_catalog, hall_config, size):
    catalog = grown_catalog(bundled_catalog, size) if size else bundled_catalog
    for width in (58, 80):
        profile = DEFAULT_PROFILES[width]
        data = slip_bytes(index_slip(catalog, hall_config, width), profile)
        assert paper_mm(data, profile) <= 150, (size, width)
        assert decode(data).qr_payloads() == ["http://10.42.0.1/"]


def test_qr_is_sized_for_a_phone_not_larger(bundled_catalog, hall_config):
    for service in bundled_catalog.services:
        slip = service_slip(bundled_catalog, service, hall_config, 58)
        image = decode(slip_bytes(slip, "POS-5890")).images[0]
        # 4-module quiet zone each side; the code itself about 2 cm (16 to 24 mm).
        assert 16 <= image.height * MM_PER_DOT <= 32, service.id


# ---------------------------------------------------------------- the measurement


MODEL = LineModel(dpi=203, default_spacing=34)


@pytest.mark.parametrize(
    ("data", "dots"),
    [
        (b"abc\n", 34),  # default spacing
        (b"\n\n", 68),  # empty lines feed too
        (b"\x1b3\x1eabc\n", 30),  # ESC 3 n
        (b"\x1b3\x10abc\n", 24),  # a line is never shorter than its font A characters
        (b"\x1b3\x10\x1bM\x01abc\n", 17),  # ... or font B
        (b"\x1b!\x10abc\n", 48),  # double height
        (b"\x1b3\x1e\x1bd\x04", 120),  # ESC d n: n lines
        (b"\x1bJ\x50", 80),  # ESC J n: n dots
        (b"\x1b3\x16\x1b2abc\n", 34),  # ESC 2: back to the default
        (b"abc", 34),  # an unfinished line still prints at the end
        (b"\x1dv0\x00\x02\x00\x05\x00" + bytes(10), 5),  # raster image: its height
        (b"\x1dV\x42\x10", 16),  # feed n and cut
        (b"\x1b@\x1bE\x01\x1ba\x01\x1d!\x00", 0),  # style only: no paper
    ],
)
def test_paper_dots_follow_the_command_reference(data, dots):
    assert paper_dots(data, MODEL) == dots


def test_unknown_commands_are_refused_not_guessed():
    with pytest.raises(ValueError, match="unknown command ESC"):
        paper_dots(b"\x1b\x99", MODEL)
    with pytest.raises(ValueError, match="unexpected control byte"):
        paper_dots(b"\x07", MODEL)


def test_native_qr_costs_no_quiet_zone_paper(bundled_catalog, hall_config):
    """A native QR prints its modules only; the image carries 4 white modules top and bottom."""
    slip = service_slip(bundled_catalog, bundled_catalog.service("kia"), hall_config, 80)
    native = paper_dots(slip_bytes(slip, "TM-T20II", native_qr=True), MODEL)
    as_image = paper_dots(slip_bytes(slip, "TM-T20II", native_qr=False), MODEL)
    image = decode(slip_bytes(slip, "TM-T20II", native_qr=False)).images[0]
    assert 0 < as_image - native < image.height


def test_what_paper_leaves_out_is_on_the_page_the_qr_opens(client, bundled_catalog, config):
    """Steps, full notes and notices, fee note, product, the office's full name: on the page."""
    import html
    import re

    for service in bundled_catalog.services:
        slip = service_slip(bundled_catalog, service, config, 58)
        [url] = slip.qr_payloads
        page = client.get(url.removeprefix(config.portal_url.rstrip("/")))
        assert page.status_code == 200, url
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page.get_data(as_text=True))).split())
        office = bundled_catalog.office(service.served_by)
        wanted = [step.text for step in service.steps] + [service.notice, office.name]
        wanted += [service.fee_note, service.product, service.summary]
        wanted += [req.note for req in service.requirements] + list(service.legal_basis)
        for part in filter(None, wanted):
            assert " ".join(part.split()) in text, (service.id, part)
