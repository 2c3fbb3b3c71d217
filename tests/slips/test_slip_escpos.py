"""python-escpos output decoded back to text, independently, and checked line by line."""

from __future__ import annotations

import pytest

from kiosk.slips.layout import COLUMNS, SMALL_COLUMNS, index_slip, service_slip
from kiosk.slips.render import escpos_module, render, slip_bytes
from tests.escpos_decode import decode


@pytest.fixture
def hall_config(hall_config):
    return hall_config.replace(public_url="https://layanan.kemlagi.example")


@pytest.mark.parametrize("width", [58, 80])
def test_decoded_bytes_are_the_layout(bundled_catalog, hall_config, width):
    service = bundled_catalog.service("akta-kelahiran")
    slip = service_slip(bundled_catalog, service, hall_config, width)
    decoded = decode(slip_bytes(slip))
    assert decoded.text == slip.lines
    for line in decoded.lines:
        assert len(line.text) <= (SMALL_COLUMNS if line.small else COLUMNS)[width], line
    for requirement in service.requirements:
        assert any(
            line.text.startswith("[ ] " + requirement.document.split()[0]) and not line.small
            for line in decoded.lines
        )
    assert decoded.qr_payloads() == [
        "http://10.42.0.1/layanan/akta-kelahiran",
        "https://layanan.kemlagi.example/layanan/akta-kelahiran",
    ]
    assert decoded.cut_at_end
    header = decoded.lines[0]
    assert (header.text, header.small, header.center) == (
        "Kecamatan Kemlagi - Balai Desa Kemlagi",
        True,
        True,
    )
    title = decoded.lines[1]
    assert (title.text, title.bold, title.small) == (service.name, True, False)
    assert decoded.lines[2].small and not decoded.lines[2].bold


def test_font_b_lines_are_set_closer(bundled_catalog, hall_config):
    """ESC 3 n: font A lines 30 dots apart, font B 22, whatever the printer's default."""
    slip = service_slip(bundled_catalog, bundled_catalog.service("ktp-el-baru"), hall_config)
    data = slip_bytes(slip)
    assert b"\x1bM\x01\x1b3\x16" in data and b"\x1bM\x00\x1b3\x1e" in data


def test_58mm_cheap_printer_gets_a_qr_image_with_quiet_zone(bundled_catalog, hall_config):
    slip = service_slip(bundled_catalog, bundled_catalog.service("kk-baru"), hall_config, 58)
    decoded = decode(slip_bytes(slip, profile="POS-5890"))
    assert decoded.native_qrs == []
    image = decoded.images[0]
    assert image.width <= 384
    # The quiet zone: the outer band (4 modules of at least 1 dot each) is all white.
    gray = image.convert("L")
    left_band = [gray.getpixel((x, y)) for x in range(4) for y in range(gray.height)]
    assert min(left_band) == 255


def test_80mm_epson_profile_gets_native_qr(bundled_catalog, hall_config):
    slip = service_slip(bundled_catalog, bundled_catalog.service("kk-baru"), hall_config, 80)
    decoded = decode(slip_bytes(slip, profile="TM-T20II"))
    assert decoded.images == []
    assert decoded.native_qrs == slip.qr_payloads


def test_native_qr_can_be_switched_off(bundled_catalog, hall_config):
    slip = service_slip(bundled_catalog, bundled_catalog.service("kk-baru"), hall_config, 80)
    decoded = decode(slip_bytes(slip, profile="TM-T20II", native_qr=False))
    assert decoded.native_qrs == [] and len(decoded.images) == 2
    assert decoded.qr_payloads() == slip.qr_payloads


def test_index_slip_bytes(bundled_catalog, hall_config):
    slip = index_slip(bundled_catalog, hall_config)
    decoded = decode(slip_bytes(slip))
    assert decoded.text == slip.lines
    assert decoded.qr_payloads() == ["http://10.42.0.1/", "https://layanan.kemlagi.example/"]
    assert decoded.cut_at_end


def test_render_onto_a_dummy_printer(bundled_catalog, hall_config):
    """The renderer speaks to any python-escpos printer object, e.g. Dummy."""
    dummy = escpos_module().Dummy(
        profile="POS-5890", magic_encode_args={"disabled": True, "encoding": "CP437"}
    )
    slip = service_slip(bundled_catalog, bundled_catalog.service("sktm"), hall_config)
    render(slip, dummy)
    assert dummy.output.startswith(b"\x1b@")
    assert decode(dummy.output).text == slip.lines
