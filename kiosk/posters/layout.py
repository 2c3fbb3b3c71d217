"""Village + catalog + settings → poster layout: plain data, no I/O.

Everything is placed in millimetres from the top-left corner (text by its
baseline; font sizes in points). The writers (pdf.py, svg.py, png.py) only
draw what is here, so tests can check the words, QR payloads and sizes on
the data itself and then decode the real files.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

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


@dataclass(frozen=True)
class TextStyle:
    """How a run of text looks. ``size`` is in pt; fitted text shrinks from ``size`` in
    0.5 pt steps down to ``min_size`` until it fits in ``max_lines`` lines."""

    size: float
    bold: bool = False
    color: str = INK
    anchor: str = "start"  # "start" (x is the left edge) or "middle" (x is the centre)
    min_size: float = 0.0
    max_lines: int = 1


class _Flow:
    """Places lines top to bottom and collects the elements."""

    def __init__(self, elements: list[Any]):
        self.elements = elements

    def lines(
        self,
        lines: list[str],
        style: TextStyle,
        *,
        x: float,
        top: float,
        max_width: float = 0.0,
    ) -> float:
        """Place ``lines`` at ``style.size``; the top of the next line."""
        size_mm = style.size * PT_MM
        for line in lines:
            self.elements.append(
                Text(
                    x,
                    top + size_mm * 0.8,
                    line,
                    style.size,
                    style.bold,
                    style.color,
                    style.anchor,
                    max_width,
                )
            )
            top += size_mm * LEADING
        return top

    def fitted(self, text: str, style: TextStyle, *, x: float, top: float, width: float) -> float:
        """``text`` at the largest size of ``style`` that fits ``width``."""
        size, lines = fit(
            text,
            bold=style.bold,
            max_width=width,
            max_size=style.size,
            min_size=style.min_size,
            max_lines=style.max_lines,
        )
        return self.lines(lines, replace(style, size=size), x=x, top=top, max_width=width)

    def wrapped(self, text: str, style: TextStyle, *, x: float, top: float, width: float) -> float:
        """``text`` wrapped to ``width`` at ``style.size``."""
        lines = wrap(text, style.size, style.bold, width)
        return self.lines(lines, style, x=x, top=top, max_width=width)

    def placeholder(self) -> int:
        """Room for a background drawn under what follows, sized once that is placed."""
        self.elements.append(None)
        return len(self.elements) - 1


LEADING = 1.22  # line height / font size


@dataclass(frozen=True)
class HeaderStyle:
    """The header band of a poster kind: what this is, and where."""

    title: TextStyle
    place: TextStyle
    one_liner: TextStyle
    top: float  # mm; top of the first line in the band
    pad: float  # mm of band below the last line
    one_liner_gap: float  # mm between the band and the one-liner under it
    label: TextStyle | None = None  # a small label above the title


A4_HEADER = HeaderStyle(
    label=TextStyle(11, bold=True, color=WHITE),
    title=TextStyle(36, bold=True, color=WHITE, min_size=18, max_lines=2),
    place=TextStyle(14, color=WHITE, min_size=9, max_lines=2),
    one_liner=TextStyle(17, bold=True, color=ACCENT, anchor="middle", min_size=10, max_lines=2),
    top=9,
    pad=4,
    one_liner_gap=9,
)
SOCIAL_HEADER = HeaderStyle(
    title=TextStyle(30, bold=True, color=WHITE, min_size=14, max_lines=2),
    place=TextStyle(12, color=WHITE, min_size=8, max_lines=1),
    one_liner=TextStyle(15, bold=True, color=ACCENT, anchor="middle", min_size=8, max_lines=2),
    top=6,
    pad=3,
    one_liner_gap=7,
)


def _header_band(
    flow: _Flow, data: PosterData, style: HeaderStyle, *, width: float, margin: float
) -> float:
    """The accent band with the title and the place, then the one-liner; → next top."""
    inner = width - 2 * margin
    band = flow.placeholder()
    y = style.top
    if style.label is not None:
        y = flow.lines([T.KIOSK_LABEL], style.label, x=margin, top=y, max_width=inner) + 1
    title = T.TITLE.format(desa=data.village.name)
    y = flow.fitted(title, style.title, x=margin, top=y, width=inner)
    place = T.PLACE.format(kecamatan=data.kecamatan, kabupaten=data.kabupaten)
    y = flow.fitted(place, style.place, x=margin, top=y, width=inner)
    flow.elements[band] = Rect(0, 0, width, y + style.pad, ACCENT)
    top = y + style.one_liner_gap
    return flow.fitted(T.ONE_LINER, style.one_liner, x=width / 2, top=top, width=inner)


@dataclass(frozen=True)
class _Step:
    """One numbered step of a poster: a heading, a QR code and what it stands for."""

    heading: str
    payload: str
    role: str
    value: str
    extra: str = ""
    number: str = ""
    hint: str = ""
    label: str = ""


def _password_line(data: PosterData) -> str:
    return T.PASSWORD_LABEL.format(password=data.password) if data.password else T.NO_PASSWORD


def _a4_steps(data: PosterData) -> tuple[_Step, ...]:
    return (
        _Step(
            number="1",
            heading=T.STEP1_HEADING,
            hint=T.STEP1_HINT,
            payload=wifi_payload(data.ssid, data.password),
            role="wifi",
            label=T.SSID_LABEL,
            value=data.ssid,
            extra=_password_line(data),
        ),
        _Step(
            number="2",
            heading=T.STEP2_HEADING,
            hint=T.STEP2_HINT,
            payload=data.portal_url,
            role="portal",
            label=T.ADDRESS_LABEL,
            value=data.address,
        ),
    )


def _social_steps(data: PosterData) -> list[_Step]:
    wifi = wifi_payload(data.ssid, data.password)
    steps = [
        _Step(T.SOCIAL_STEP1, wifi, "wifi", data.ssid, extra=_password_line(data)),
        _Step(T.SOCIAL_STEP2, data.portal_url, "portal", data.address),
    ]
    if data.public_url:
        steps.append(_Step(T.SOCIAL_STEP3, data.public_url, "public", data.public_url))
    return steps


@dataclass(frozen=True)
class _Columns:
    """Equal columns side by side under a margin."""

    margin: float
    width: float  # of one column
    gap: float

    def x(self, i: int) -> float:
        return self.margin + i * (self.width + self.gap)

    def panels(self, flow: _Flow, at: list[int], *, top: float, bottom: float) -> None:
        """Fill the placeholders ``at`` with a pale panel per column."""
        for i, index in enumerate(at):
            flow.elements[index] = Rect(self.x(i), top, self.width, bottom - top, PALE)


def _badge(elements: list[Any], number: str, x: float, top: float) -> None:
    elements.append(Circle(x + 5.5, top + 5.5, 5.5, ACCENT))
    elements.append(Text(x + 5.5, top + 5.5 + 2.4, number, 18, True, WHITE, "middle", 9))


A4_STEP_HEADING = TextStyle(17, bold=True, color=ACCENT, min_size=11)
A4_HINT = TextStyle(10.5)
A4_LABEL = TextStyle(10, anchor="middle")
A4_VALUE = TextStyle(24, bold=True, anchor="middle", min_size=11, max_lines=2)
A4_EXTRA = TextStyle(13, bold=True, anchor="middle", min_size=9, max_lines=2)


def _a4_step(flow: _Flow, step: _Step, *, x: float, top: float, col: float) -> float:
    """One step in its column: badge, heading, hint, QR, label and value; → its bottom."""
    qr_size = col - 8
    _badge(flow.elements, step.number, x + 4, top + 4)
    cy = flow.fitted(step.heading, A4_STEP_HEADING, x=x + 18, top=top + 5.5, width=col - 22)
    cy = flow.wrapped(step.hint, A4_HINT, x=x + 4, top=max(cy, top + 16) + 1.5, width=col - 8)
    cy += 1.5
    flow.elements.append(Rect(x + 4, cy, qr_size, qr_size, WHITE))
    flow.elements.append(make_qr(step.payload, step.role, x + 4, cy, qr_size))
    cy += qr_size + 3
    centre = x + col / 2
    cy = flow.lines([step.label], A4_LABEL, x=centre, top=cy, max_width=col - 8)
    cy = flow.fitted(step.value, A4_VALUE, x=centre, top=cy, width=col - 8)
    if step.extra:
        cy = flow.fitted(step.extra, A4_EXTRA, x=centre, top=cy + 0.5, width=col - 8)
    return cy + 3


def _a4_step_panels(flow: _Flow, data: PosterData, *, top: float, inner: float) -> float:
    """The two steps side by side, each in a pale panel; → the panels' bottom."""
    columns = _Columns(margin=A4_MARGIN, width=(inner - 6.0) / 2, gap=6.0)
    panels, bottoms = [], []
    for i, step in enumerate(_a4_steps(data)):
        panels.append(flow.placeholder())
        bottoms.append(_a4_step(flow, step, x=columns.x(i), top=top, col=columns.width))
    columns.panels(flow, panels, top=top, bottom=max(bottoms))
    return max(bottoms)


def _not_opening(flow: _Flow, data: PosterData, *, top: float, small: float) -> float:
    """What to do if the page does not open by itself."""
    inner = A4[0] - 2 * A4_MARGIN
    heading = TextStyle(15 - small, bold=True, color=ACCENT, min_size=9)
    y = flow.fitted(T.NOT_OPENING_HEADING, heading, x=A4_MARGIN, top=top, width=inner)
    step = TextStyle(12 - small)
    for n, text in enumerate(T.NOT_OPENING_STEPS, 1):
        baseline = y + step.size * PT_MM * 0.8
        flow.elements.append(Text(A4_MARGIN, baseline, f"{n}.", step.size, True))
        text = text.format(address=data.address)
        y = flow.wrapped(text, step, x=A4_MARGIN + 6, top=y, width=inner - 6)
        y += 0.8
    return y


def _print_box(flow: _Flow, *, top: float, small: float) -> float:
    """The print button's box: a pale panel with an accent bar."""
    inner = A4[0] - 2 * A4_MARGIN
    box, bar = flow.placeholder(), flow.placeholder()
    x, width = A4_MARGIN + 6, inner - 9
    y = flow.wrapped(
        T.PRINT_HEADING, TextStyle(12.5 - small, bold=True), x=x, top=top + 3, width=width
    )
    y = flow.wrapped(T.PRINT_HINT, TextStyle(11 - small), x=x, top=y + 0.5, width=width)
    y += 2.5
    flow.elements[box] = Rect(A4_MARGIN, top, inner, y - top, PALE)
    flow.elements[bar] = Rect(A4_MARGIN, top, 2.0, y - top, ACCENT)
    return y


def _contacts(flow: _Flow, data: PosterData, *, top: float, small: float) -> float:
    """The kecamatan's contacts and the complaint channels, under a rule."""
    inner = A4[0] - 2 * A4_MARGIN
    flow.elements.append(Rect(A4_MARGIN, top, inner, 0.4, ACCENT))
    heading = TextStyle(11.5 - small, bold=True, color=ACCENT)
    y = flow.lines([T.CONTACT_HEADING], heading, x=A4_MARGIN, top=top + 2.5, max_width=inner)
    for n, line in enumerate(data.contacts):
        style = TextStyle(9.5 - small * 0.6, bold=n == 0)
        y = flow.wrapped(line, style, x=A4_MARGIN, top=y + 0.3, width=inner)
    return y


A4_MARGIN = 12.0


def _a4_elements(data: PosterData, small: float) -> tuple[list[Any], float]:
    """Lay the A4 poster out with the lower sections ``small`` pt smaller; → (elements, bottom)."""
    width, _ = A4
    elements: list[Any] = []
    flow = _Flow(elements)
    y = _header_band(flow, data, A4_HEADER, width=width, margin=A4_MARGIN)
    y = _a4_step_panels(flow, data, top=y + 4, inner=width - 2 * A4_MARGIN)
    y = _not_opening(flow, data, top=y + 6, small=small)
    y = _print_box(flow, top=y + 3, small=small)
    y = _contacts(flow, data, top=y + 5, small=small)
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


SOCIAL_MARGIN = 8.0
SOCIAL_HEADING = TextStyle(15, bold=True, color=ACCENT, anchor="middle", min_size=8)
SOCIAL_VALUE = TextStyle(18, bold=True, anchor="middle", min_size=8, max_lines=3)
SOCIAL_EXTRA = TextStyle(11, anchor="middle", min_size=7, max_lines=2)
SOCIAL_FOOTER = TextStyle(13, anchor="middle", min_size=7, max_lines=2)


def _place_social_steps(
    elements: list[Any], steps: list[_Step], columns: _Columns, *, top: float
) -> float:
    """Each step in its column: heading, QR, value; → the panels' bottom."""
    flow = _Flow(elements)
    qr_size = min(columns.width - 4, 72.0)
    text_width = columns.width - 4
    bottoms, panels = [], []
    for i, step in enumerate(steps):
        panels.append(flow.placeholder())
        cx = columns.x(i) + columns.width / 2
        cy = flow.fitted(step.heading, SOCIAL_HEADING, x=cx, top=top + 3, width=text_width)
        elements.append(Rect(cx - qr_size / 2, cy + 1, qr_size, qr_size, WHITE))
        elements.append(make_qr(step.payload, step.role, cx - qr_size / 2, cy + 1, qr_size))
        cy += qr_size + 3
        cy = flow.fitted(step.value, SOCIAL_VALUE, x=cx, top=cy, width=text_width)
        if step.extra:
            cy = flow.fitted(step.extra, SOCIAL_EXTRA, x=cx, top=cy, width=text_width)
        bottoms.append(cy + 2)
    columns.panels(flow, panels, top=top, bottom=max(bottoms))
    return max(bottoms)


def social_layout(village: Village, catalog: Catalog, config: Config) -> Poster:
    """The square image for social media: the same two steps, plus the public
    address of the catalog when the kecamatan publishes one."""
    data = poster_data(village, catalog, config)
    width, height = SOCIAL
    inner = width - 2 * SOCIAL_MARGIN
    elements: list[Any] = []
    flow = _Flow(elements)
    y = _header_band(flow, data, SOCIAL_HEADER, width=width, margin=SOCIAL_MARGIN)

    steps = _social_steps(data)
    gap = 5.0
    columns = _Columns(SOCIAL_MARGIN, (inner - gap * (len(steps) - 1)) / len(steps), gap)
    footer_size, footer = fit(
        T.SOCIAL_FOOTER,
        bold=SOCIAL_FOOTER.bold,
        max_width=inner,
        max_size=SOCIAL_FOOTER.size,
        min_size=SOCIAL_FOOTER.min_size,
        max_lines=SOCIAL_FOOTER.max_lines,
    )
    footer_top = height - 6 - len(footer) * footer_size * PT_MM * LEADING

    # Measure the steps once, then place them in the middle of the free space.
    top = y + 3
    height_of_steps = _place_social_steps([], steps, columns, top=top) - top
    top += max(0.0, (footer_top - 2 - top - height_of_steps) / 2)
    bottom = _place_social_steps(elements, steps, columns, top=top)
    if bottom + 2 > footer_top:
        raise KioskError(f"social image for {village.name}: the texts do not fit")
    footer_style = replace(SOCIAL_FOOTER, size=footer_size)
    flow.lines(footer, footer_style, x=width / 2, top=footer_top, max_width=inner)
    return Poster("social", village, width, height, tuple(elements))
