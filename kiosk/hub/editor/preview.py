"""What residents will get from a draft, before it is published: the service page exactly
as a kiosk renders it (kiosk/web's Site), and the printed slip (kiosk/slips' layout) as
text and as a PNG drawn dot for dot from the slip's lines and QR codes.
"""

from __future__ import annotations

import io
from functools import cache

from PIL import Image, ImageDraw, ImageFont

from ...catalog.model import Catalog
from ...config import Config
from ...slips.layout import Line, Qr, Slip, preview, service_slip
from ...slips.render import qr_image
from ...web.pages import Site

# Character cells of an ESC/POS printer in dots: font A 12 × 24, font B (small lines) 9 × 17.
CELLS = {False: (12, 24), True: (9, 17)}
FONT_PX = {False: 20, True: 15}  # DejaVu Sans Mono sizes whose advance fits the cell
MONO_FONTS = {False: "DejaVuSansMono.ttf", True: "DejaVuSansMono-Bold.ttf"}  # fonts-dejavu-core
MARGIN = 8  # dots of white around the slip image, so its edge shows on a white page


def preview_config(village: str = "") -> Config:
    """A kiosk's settings for previews: the embedded defaults, at ``village`` if given."""
    config = Config()
    return config.replace(village=village) if village else config


def service_page(catalog: Catalog, service_id: str, config: Config) -> bytes:
    """The service page's HTML, byte for byte what a kiosk serves for this catalog."""
    site = Site(catalog, config)
    return site.pages[f"/layanan/{service_id}"].body


def service_slip_preview(catalog: Catalog, service_id: str, config: Config) -> Slip:
    service = catalog.service(service_id)
    if service is None:
        raise KeyError(service_id)
    return service_slip(catalog, service, config)


def slip_text(slip: Slip) -> str:
    return preview(slip)


@cache
def _font(bold: bool, small: bool) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(MONO_FONTS[bold], FONT_PX[small])
    except OSError:
        return ImageFont.load_default()


def _line_image(line: Line, dots: int) -> Image.Image:
    width, height = CELLS[line.small]
    image = Image.new("1", (dots, height), 1)
    draw = ImageDraw.Draw(image)
    text = line.text
    x0 = (dots - len(text) * width) // 2 if line.center else 0
    font = _font(line.bold, line.small)
    for col, char in enumerate(text):  # one cell per character, as the printer does
        draw.text((x0 + col * width, 0), char, font=font, fill=0)
    return image


def slip_png(slip: Slip) -> bytes:
    """The slip as a black-and-white PNG at the printer's resolution (203 dpi), line by
    line in the printer's character cells."""
    parts: list[Image.Image] = []
    for item in slip.items:
        if isinstance(item, Line):
            parts.append(_line_image(item, slip.dots))
        elif isinstance(item, Qr):
            qr = qr_image(item.payload, slip.dots)
            row = Image.new("1", (slip.dots, qr.height), 1)
            row.paste(qr, ((slip.dots - qr.width) // 2, 0))
            parts.append(row)
    height = sum(p.height for p in parts)
    sheet = Image.new("1", (slip.dots + 2 * MARGIN, height + 2 * MARGIN), 1)
    y = MARGIN
    for part in parts:
        sheet.paste(part, (MARGIN, y))
        y += part.height
    out = io.BytesIO()
    sheet.save(out, format="PNG", optimize=True)
    return out.getvalue()
