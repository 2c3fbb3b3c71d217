"""Village + catalog + settings → poster layout: plain data, no I/O.

Everything is placed in millimetres from the top-left corner (text by its
baseline; font sizes in points). The writers (pdf.py, svg.py, png.py) only
draw what is here, so tests can check the words, QR payloads and sizes on
the data itself and then decode the real files.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import segno

from ..catalog.model import Catalog, Village
from ..catalog.unfilled import resident_view
from ..config import Config
from ..errors import KioskError
from . import text as T
from .metrics import PT_MM, fit, text_width, wrap
from .payloads import wifi_payload

A4 = (210.0, 297.0)
SOCIAL = (180.0, 180.0)  # mm; the PNG writer draws it at 6 px/mm = 1080 × 1080

# NetworkManager's shared-mode address, which deploy/install.sh uses for the hotspot.
HOTSPOT_ADDRESS = "10.42.0.1"

# H restores up to 30% of damaged modules: a poster on a balai desa wall gets
# dust, fly specks, tape, a torn corner and glare from lamination. Our codes are
# short (an open or WPA hotspot, an IP address), so H costs at most one or two
# QR versions, and an A4 column still gives modules of 1.5 mm or more.
ERROR_LEVEL = "H"
QUIET_ZONE = 4  # modules, as ISO/IEC 18004 asks

INK = "#1a1a1a"
ACCENT = "#0b5d4b"
PALE = "#e6f2ee"
WHITE = "#ffffff"
MIN_QR_MM = 60.0


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # baseline
    text: str
    size: float  # pt
    bold: bool = False
    color: str = INK
    anchor: str = "start"  # "start" (x is the left edge) or "middle" (x is the centre)
    max_width: float = 0.0  # mm; a writer whose font runs wider shrinks the line into this

    @property
    def width(self) -> float:
        return text_width(self.text, self.size, self.bold)

    @property
    def left(self) -> float:
        return self.x - self.width / 2 if self.anchor == "middle" else self.x


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    color: str


@dataclass(frozen=True)
class Circle:
    cx: float
    cy: float
    r: float
    color: str


@dataclass(frozen=True)
class QR:
    """A QR code drawn black on white in a ``size`` mm square, quiet zone included."""

    x: float
    y: float
    size: float
    payload: str
    role: str  # "wifi", "portal" or "public"
    modules: tuple[tuple[bool, ...], ...]
    version: str

    @property
    def count(self) -> int:
        """Modules across, quiet zone included."""
        return len(self.modules) + 2 * QUIET_ZONE

    @property
    def module_mm(self) -> float:
        return self.size / self.count

    @property
    def symbol_mm(self) -> float:
        """Printed width of the code itself, without the quiet zone."""
        return self.module_mm * len(self.modules)


@dataclass(frozen=True)
class Poster:
    kind: str  # "a4" or "social"
    village: Village
    width: float
    height: float
    elements: tuple = field(default_factory=tuple)

    @property
    def texts(self) -> list[Text]:
        return [e for e in self.elements if isinstance(e, Text)]

    @property
    def qrs(self) -> list[QR]:
        return [e for e in self.elements if isinstance(e, QR)]

    def qr(self, role: str) -> QR:
        return next(q for q in self.qrs if q.role == role)

    @property
    def words(self) -> str:
        """All the text in reading order, one line each (for tests and checks)."""
        return "\n".join(t.text for t in self.texts)


@dataclass(frozen=True)
class PosterData:
    """What goes on a village's poster, resolved from the catalog and the settings."""

    village: Village
    kecamatan: str
    kabupaten: str
    ssid: str
    password: str
    portal_url: str
    public_url: str
    contacts: tuple[str, ...]

    @property
    def address(self) -> str:
        """The address as a resident types it: the URL without the trailing slash."""
        return self.portal_url.rstrip("/")


def find_village(catalog: Catalog, name: str) -> Village:
    """A village by id or name, case-insensitive; KioskError lists the known ones."""
    wanted = name.strip().casefold()
    for village in catalog.villages:
        if wanted in (village.id.casefold(), village.name.casefold()):
            return village
    known = ", ".join(v.id for v in catalog.villages)
    raise KioskError(f"village {name!r} is not in the catalog. Known villages: {known}")


def portal_url(config: Config) -> str:
    """The URL phones open: the configured portal address, else the hotspot's IP.

    The IP, not a name: phones with Private DNS or DoH never ask the kiosk's DNS.
    """
    if config.portal_address:
        return config.portal_url
    return f"http://{HOTSPOT_ADDRESS}/"


def poster_data(village: Village, catalog: Catalog, config: Config) -> PosterData:
    ssid = config.ssid_for(village.name)
    catalog = resident_view(catalog)  # no "[Diisi kecamatan]" on a wall
    office = catalog.head_office
    contacts = [office.name]
    if office.address:
        contacts.append(T.ADDRESS_LINE.format(address=office.address))
    contacts += [T.CONTACT_LINE.format(label=c.label, value=c.value) for c in office.contacts]
    if not office.contacts:
        contacts.append(T.CONTACT_UNKNOWN)
    contacts += [T.CONTACT_LINE.format(label=c.label, value=c.value) for c in catalog.complaints]
    return PosterData(
        village=village,
        kecamatan=catalog.kecamatan,
        kabupaten=catalog.kabupaten,
        ssid=ssid,
        password=config.wifi_password,
        portal_url=portal_url(config),
        public_url=config.public_url,
        contacts=tuple(contacts),
    )


def make_qr(payload: str, role: str, x: float, y: float, size: float) -> QR:
    # make_qr, never make(): a short payload could become a Micro QR, which many
    # phone cameras cannot read. UTF-8 for non-ASCII (phones guess UTF-8 well).
    code = segno.make_qr(
        payload,
        error=ERROR_LEVEL,
        boost_error=False,
        encoding=None if payload.isascii() else "utf-8",
    )
    modules = tuple(tuple(bool(v) for v in row) for row in code.matrix)
    return QR(x, y, size, payload, role, modules, code.designator)


class _Flow:
    """Places lines top to bottom and collects the elements."""

    def __init__(self, elements: list):
        self.elements = elements

    def lines(
        self,
        lines,
        x,
        top,
        size,
        bold=False,
        color=INK,
        anchor="start",
        max_width=0.0,
        leading=1.22,
    ):
        size_mm = size * PT_MM
        for line in lines:
            self.elements.append(
                Text(x, top + size_mm * 0.8, line, size, bold, color, anchor, max_width)
            )
            top += size_mm * leading
        return top

    def fitted(
        self,
        text,
        x,
        top,
        width,
        max_size,
        min_size,
        max_lines=1,
        bold=False,
        color=INK,
        anchor="start",
    ):
        size, lines = fit(text, bold, width, max_size, min_size, max_lines)
        return self.lines(lines, x, top, size, bold, color, anchor, width)

    def wrapped(self, text, x, top, width, size, bold=False, color=INK, anchor="start"):
        return self.lines(wrap(text, size, bold, width), x, top, size, bold, color, anchor, width)


def _badge(elements: list, number: str, x: float, top: float) -> None:
    elements.append(Circle(x + 5.5, top + 5.5, 5.5, ACCENT))
    elements.append(Text(x + 5.5, top + 5.5 + 2.4, number, 18, True, WHITE, "middle", 9))


def _a4_elements(data: PosterData, small: float) -> tuple[list, float]:
    """Lay the A4 poster out with the lower sections ``small`` pt smaller; → (elements, bottom)."""
    width, _ = A4
    margin = 12.0
    inner = width - 2 * margin
    elements: list = []
    flow = _Flow(elements)

    # Header band: what this is, and where.
    header = Rect(0, 0, width, 0, ACCENT)
    elements.append(header)
    y = flow.lines([T.KIOSK_LABEL], margin, 9, 11, True, WHITE, max_width=inner)
    y = flow.fitted(
        T.TITLE.format(desa=data.village.name), margin, y + 1, inner, 36, 18, 2, True, WHITE
    )
    y = flow.fitted(
        T.PLACE.format(kecamatan=data.kecamatan, kabupaten=data.kabupaten),
        margin,
        y,
        inner,
        14,
        9,
        2,
        False,
        WHITE,
    )
    elements[elements.index(header)] = Rect(0, 0, width, y + 4, ACCENT)
    y = flow.fitted(T.ONE_LINER, width / 2, y + 9, inner, 17, 10, 2, True, ACCENT, "middle")

    # The two steps, side by side, each in a pale panel.
    gap = 6.0
    col = (inner - gap) / 2
    qr_size = col - 8
    top = y + 4
    bottoms = []
    panels = []
    steps = (
        (
            "1",
            T.STEP1_HEADING,
            T.STEP1_HINT,
            wifi_payload(data.ssid, data.password),
            "wifi",
            T.SSID_LABEL,
            data.ssid,
            T.PASSWORD_LABEL.format(password=data.password) if data.password else T.NO_PASSWORD,
        ),
        (
            "2",
            T.STEP2_HEADING,
            T.STEP2_HINT,
            data.portal_url,
            "portal",
            T.ADDRESS_LABEL,
            data.address,
            "",
        ),
    )
    for i, (number, heading, hint, payload, role, label, value, extra) in enumerate(steps):
        x = margin + i * (col + gap)
        panel_at = len(elements)
        panels.append(panel_at)
        elements.append(None)  # the panel, sized once its content is known
        _badge(elements, number, x + 4, top + 4)
        cy = flow.fitted(heading, x + 18, top + 5.5, col - 22, 17, 11, 1, True, ACCENT)
        cy = flow.wrapped(hint, x + 4, max(cy, top + 16) + 1.5, col - 8, 10.5)
        cy += 1.5
        elements.append(Rect(x + 4, cy, qr_size, qr_size, WHITE))
        elements.append(make_qr(payload, role, x + 4, cy, qr_size))
        cy += qr_size + 3
        cy = flow.lines([label], x + col / 2, cy, 10, False, INK, "middle", col - 8)
        cy = flow.fitted(value, x + col / 2, cy, col - 8, 24, 11, 2, True, INK, "middle")
        if extra:
            cy = flow.fitted(extra, x + col / 2, cy + 0.5, col - 8, 13, 9, 2, True, INK, "middle")
        bottoms.append(cy + 3)
    panel_bottom = max(bottoms)
    for i, at in enumerate(panels):
        elements[at] = Rect(margin + i * (col + gap), top, col, panel_bottom - top, PALE)
    y = panel_bottom + 6

    # If the page does not open by itself.
    y = flow.fitted(T.NOT_OPENING_HEADING, margin, y, inner, 15 - small, 9, 1, True, ACCENT)
    step_size = 12 - small
    for n, step in enumerate(T.NOT_OPENING_STEPS, 1):
        elements.append(Text(margin, y + step_size * PT_MM * 0.8, f"{n}.", step_size, True))
        y = flow.wrapped(step.format(address=data.address), margin + 6, y, inner - 6, step_size)
        y += 0.8

    # The print button.
    y += 3
    box_top, box_at = y, len(elements)
    elements += [None, None]  # the box and its bar, sized once the words are placed
    y = flow.wrapped(T.PRINT_HEADING, margin + 6, y + 3, inner - 9, 12.5 - small, True)
    y = flow.wrapped(T.PRINT_HINT, margin + 6, y + 0.5, inner - 9, 11 - small)
    y += 2.5
    elements[box_at] = Rect(margin, box_top, inner, y - box_top, PALE)
    elements[box_at + 1] = Rect(margin, box_top, 2.0, y - box_top, ACCENT)

    # The kecamatan's contacts and the complaint channels.
    y += 5
    elements.append(Rect(margin, y, inner, 0.4, ACCENT))
    y = flow.lines(
        [T.CONTACT_HEADING], margin, y + 2.5, 11.5 - small, True, ACCENT, max_width=inner
    )
    for n, line in enumerate(data.contacts):
        y = flow.wrapped(line, margin, y + 0.3, inner, 9.5 - small * 0.6, bold=n == 0)
    return elements, y


def poster_layout(village: Village, catalog: Catalog, config: Config) -> Poster:
    """The A4 portrait poster of one village."""
    data = poster_data(village, catalog, config)
    width, height = A4
    small = 0.0
    while True:
        elements, bottom = _a4_elements(data, small)
        if bottom <= height - 8:
            break
        if small >= 4:
            raise KioskError(
                f"poster for {village.name}: the contacts and complaint lines in the "
                "catalog are too long to fit on A4; shorten them in catalog/offices.yaml"
            )
        small += 0.5
    return Poster("a4", village, width, height, tuple(elements))


def social_layout(village: Village, catalog: Catalog, config: Config) -> Poster:
    """The square image for social media: the same two steps, plus the public
    address of the catalog when the kecamatan publishes one."""
    data = poster_data(village, catalog, config)
    width, height = SOCIAL
    margin = 8.0
    inner = width - 2 * margin
    elements: list = []
    flow = _Flow(elements)

    header = len(elements)
    elements.append(None)
    y = flow.fitted(T.TITLE.format(desa=village.name), margin, 6, inner, 30, 14, 2, True, WHITE)
    y = flow.fitted(
        T.PLACE.format(kecamatan=data.kecamatan, kabupaten=data.kabupaten),
        margin,
        y,
        inner,
        12,
        8,
        1,
        False,
        WHITE,
    )
    elements[header] = Rect(0, 0, width, y + 3, ACCENT)
    y = flow.fitted(T.ONE_LINER, width / 2, y + 7, inner, 15, 8, 2, True, ACCENT, "middle")

    steps = [
        (
            T.SOCIAL_STEP1,
            wifi_payload(data.ssid, data.password),
            "wifi",
            data.ssid,
            T.PASSWORD_LABEL.format(password=data.password) if data.password else T.NO_PASSWORD,
        ),
        (T.SOCIAL_STEP2, data.portal_url, "portal", data.address, ""),
    ]
    if data.public_url:
        steps.append((T.SOCIAL_STEP3, data.public_url, "public", data.public_url, ""))
    gap = 5.0
    col = (inner - gap * (len(steps) - 1)) / len(steps)
    qr_size = min(col - 4, 72.0)
    footer_size, footer = fit(T.SOCIAL_FOOTER, False, inner, 13, 7, 2)
    footer_top = height - 6 - len(footer) * footer_size * PT_MM * 1.22

    def place_steps(elements: list, top: float) -> float:
        flow = _Flow(elements)
        bottoms, panels = [], []
        for i, (heading, payload, role, value, extra) in enumerate(steps):
            x = margin + i * (col + gap)
            panels.append(len(elements))
            elements.append(None)
            cx = x + col / 2
            cy = flow.fitted(heading, cx, top + 3, col - 4, 15, 8, 1, True, ACCENT, "middle")
            elements.append(Rect(cx - qr_size / 2, cy + 1, qr_size, qr_size, WHITE))
            elements.append(make_qr(payload, role, cx - qr_size / 2, cy + 1, qr_size))
            cy += qr_size + 3
            cy = flow.fitted(value, cx, cy, col - 4, 18, 8, 3, True, INK, "middle")
            if extra:
                cy = flow.fitted(extra, cx, cy, col - 4, 11, 7, 2, False, INK, "middle")
            bottoms.append(cy + 2)
        bottom = max(bottoms)
        for i, at in enumerate(panels):
            elements[at] = Rect(margin + i * (col + gap), top, col, bottom - top, PALE)
        return bottom

    # Measure the steps once, then place them in the middle of the free space.
    top = y + 3
    height_of_steps = place_steps([], top) - top
    top += max(0.0, (footer_top - 2 - top - height_of_steps) / 2)
    bottom = place_steps(elements, top)
    if bottom + 2 > footer_top:
        raise KioskError(f"social image for {village.name}: the texts do not fit")
    flow.lines(footer, width / 2, footer_top, footer_size, False, INK, "middle", inner)
    return Poster("social", village, width, height, tuple(elements))
