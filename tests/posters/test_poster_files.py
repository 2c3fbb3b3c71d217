"""The files themselves: every QR on every output decodes with zbar to exactly the
payload we meant; the PDF is A4 and says what the settings say; writers take a path
or a file object."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from kiosk.posters import poster_layout, social_layout, write_pdf, write_png, write_svg
from kiosk.posters.layout import find_village
from kiosk.posters.metrics import winansi
from kiosk.posters.payloads import wifi_payload

from .conftest import TRICKY_WIFI
from .decoders import parse_wifi, pdf_text, pdf_to_png, svg_to_png, zbar

pytestmark = pytest.mark.usefixtures("tools")


def written(writer, poster) -> bytes:
    buffer = io.BytesIO()
    writer(poster, buffer)
    return buffer.getvalue()


def all_outputs(poster, social) -> dict[str, bytes]:
    """Each output rendered to PNG by a tool that is not ours (except our own PNGs)."""
    return {
        "pdf": pdf_to_png(written(write_pdf, poster)),
        "svg": svg_to_png(written(write_svg, poster)),
        "png": written(write_png, poster),
        "social": written(write_png, social),
    }


def normal(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("village_id", ["watesprojo", "kemlagi", "mojowatesrejo"])
def test_real_villages_decode_everywhere(bundled_catalog, poster_config, village_id):
    village = find_village(bundled_catalog, village_id)
    poster = poster_layout(village, bundled_catalog, poster_config)
    social = social_layout(village, bundled_catalog, poster_config)
    wanted = sorted([f"WIFI:T:nopass;S:Info Desa {village.name};;", "http://10.42.0.1/"])
    for kind, png in all_outputs(poster, social).items():
        assert zbar(png) == wanted, kind


@pytest.mark.parametrize("ssid, password, public_url", TRICKY_WIFI)
def test_tricky_wifi_settings_decode_and_parse_back(
    awkward_catalog, poster_config, ssid, password, public_url
):
    config = poster_config.replace(ssid=ssid, wifi_password=password, public_url=public_url)
    village = find_village(awkward_catalog, "kemlagi-wetan")
    poster = poster_layout(village, awkward_catalog, config)
    social = social_layout(village, awkward_catalog, config)
    wifi = wifi_payload(ssid, password)
    for kind, png in all_outputs(poster, social).items():
        found = zbar(png)
        wanted = [wifi, "http://10.42.0.1/"]
        if kind == "social" and public_url:
            wanted.append(public_url)
        assert found == sorted(wanted), kind
        fields = parse_wifi(next(p for p in found if p.startswith("WIFI:")))
        assert fields["S"] == ssid
        assert fields.get("P", "") == password
        assert fields["T"] == ("WPA" if password else "nopass")


def test_pdf_is_one_a4_page_with_the_settings_words(awkward_catalog, poster_config):
    config = poster_config.replace(ssid='Balai; Desa, "A":B\\C', wifi_password="rahasia;123")
    village = find_village(awkward_catalog, "kemlagi-wetan")
    poster = poster_layout(village, awkward_catalog, config)
    pdf = written(write_pdf, poster)
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert len(boxes) == 1
    assert (round(float(boxes[0][0])), round(float(boxes[0][1]))) == (595, 842)
    assert pdf.count(b"/Type /Page ") == 1
    text = normal(pdf_text(pdf))
    for line in poster.texts:
        assert normal(winansi(line.text)) in text, line.text
    for words in (
        "Balai Desa Kémlagi Wétan",
        "Cek persyaratan sebelum ke kecamatan — gratis",
        'Balai; Desa, "A":B\\C',
        "Kata sandi: rahasia;123",
        "http://10.42.0.1",
        "Matikan data seluler",
    ):
        assert words in text


@pytest.mark.parametrize("kind", ["pdf", "png"])
def test_printed_qr_is_at_least_6_cm_with_a_white_quiet_zone(bundled_catalog, poster_config, kind):
    """Measured on the pixels (poppler's rendering of the PDF; our PNG), not on our numbers."""
    dpi = 150
    poster = poster_layout(find_village(bundled_catalog, "kemlagi"), bundled_catalog, poster_config)
    data = (
        pdf_to_png(written(write_pdf, poster), dpi) if kind == "pdf" else written(write_png, poster)
    )
    page = Image.open(io.BytesIO(data)).convert("L")
    assert abs(page.size[0] - 1240) <= 1 and abs(page.size[1] - 1754) <= 1  # poppler rounds up
    px = dpi / 25.4
    for qr in poster.qrs:
        box = page.crop(
            (
                round(qr.x * px),
                round(qr.y * px),
                round((qr.x + qr.size) * px),
                round((qr.y + qr.size) * px),
            )
        )
        dark = box.point(lambda v: 255 if v < 128 else 0)
        left, top, right, bottom = dark.getbbox()
        assert (right - left) / px >= 60 and (bottom - top) / px >= 60, qr.role
        quiet = 4 * qr.module_mm * px - 3  # 4 modules, less anti-aliasing and pixel snapping
        assert left >= quiet and top >= quiet, qr.role
        assert box.width - right >= quiet and box.height - bottom >= quiet, qr.role
        # And nothing but white around it: the quiet zone is not the pale panel.
        assert box.getpixel((1, 1)) == 255 and box.getpixel((box.width - 2, box.height - 2)) == 255


def test_svg_is_a4_and_carries_every_line(bundled_catalog, poster_config):
    poster = poster_layout(find_village(bundled_catalog, "Kemlagi"), bundled_catalog, poster_config)
    root = ET.fromstring(written(write_svg, poster))
    ns = "{http://www.w3.org/2000/svg}"
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == (
        "210mm",
        "297mm",
        "0 0 210 297",
    )
    assert [t.text for t in root.iter(f"{ns}text")] == [t.text for t in poster.texts]
    paths = {p.get("class"): p.get("data-payload") for p in root.iter(f"{ns}path")}
    assert paths == {
        "qr-wifi": "WIFI:T:nopass;S:Info Desa Kemlagi;;",
        "qr-portal": "http://10.42.0.1/",
    }


def test_png_sizes(bundled_catalog, poster_config):
    village = bundled_catalog.villages[0]
    poster = Image.open(
        io.BytesIO(written(write_png, poster_layout(village, bundled_catalog, poster_config)))
    )
    social = Image.open(
        io.BytesIO(written(write_png, social_layout(village, bundled_catalog, poster_config)))
    )
    assert poster.size == (1240, 1754) and round(poster.info["dpi"][0]) == 150
    assert social.size == (1080, 1080)


@pytest.mark.parametrize("writer", [write_pdf, write_svg, write_png])
def test_writers_take_a_path_or_a_file(tmp_path, bundled_catalog, poster_config, writer):
    poster = poster_layout(bundled_catalog.villages[0], bundled_catalog, poster_config)
    path = tmp_path / "poster.out"
    writer(poster, path)
    assert path.read_bytes() == written(writer, poster)
    writer(poster, str(path))
    assert path.read_bytes() == written(writer, poster)
