"""Previews: the page a kiosk serves and the slip, from a draft catalog."""

from __future__ import annotations

import dataclasses
import io

from PIL import Image

from kiosk.hub.editor.preview import (
    preview_config,
    service_page,
    service_slip_preview,
    slip_png,
    slip_text,
)
from kiosk.web import create_app


def test_the_page_is_byte_for_byte_what_a_kiosk_serves(bundled_catalog, config):
    client = create_app(config).test_client()
    served = client.get("/layanan/kia").data
    assert service_page(bundled_catalog, "kia", config) == served


def test_a_draft_fee_shows_on_page_and_slip(bundled_catalog):
    kia = bundled_catalog.service("kia")
    draft = dataclasses.replace(
        bundled_catalog,
        services=tuple(
            dataclasses.replace(s, fee=15000) if s.id == "kia" else s
            for s in bundled_catalog.services
        ),
    )
    config = preview_config("betro")
    assert b"Rp 15.000" in service_page(draft, "kia", config)
    text = slip_text(service_slip_preview(draft, "kia", config))
    assert "Biaya: Rp 15.000" in text and "Balai Desa Betro" in text
    assert kia.fee == 0


def test_slip_png_is_the_printer_width_and_decodes_its_qr(bundled_catalog):
    import zxingcpp

    slip = service_slip_preview(bundled_catalog, "kia", preview_config())
    image = Image.open(io.BytesIO(slip_png(slip)))
    assert image.width == slip.dots + 16
    small = sum(1 for item in slip.items if getattr(item, "small", False))
    assert image.height > 24 * (len(slip.lines) - small) + 17 * small
    decoded = [r.text for r in zxingcpp.read_barcodes(image.convert("L"))]
    assert decoded == slip.qr_payloads
