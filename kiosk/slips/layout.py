"""Slip layout: a pure function of (catalog, settings) → lines and QR payloads.

No printer here. render.py turns a :class:`Slip` into python-escpos calls; the same
Slip gives the text preview. Text is ASCII (see printable.py) and wrapped at word
boundaries to the paper's columns: 32 on 58 mm, 48 on 80 mm in font A; 42 and 64 in
the smaller font B.

What the resident must bring comes first and in font A (elderly readers): each
document on as few lines as it needs, original/copy as a short mark, a condition or
note in font B under it only where there is one. Then fee, time and where to go in
font B, and a QR to the service page, which keeps everything paper leaves out (the
steps, the address, the legal basis...). Fields the kecamatan has not filled in yet
are left out (kiosk/catalog/unfilled.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..catalog.model import Catalog, Office, Requirement, Service
from ..catalog.unfilled import resident_view
from ..config import Config
from ..indonesian import format_fee
from . import text as T
from .printable import to_printable

COLUMNS = {58: 32, 80: 48}  # characters per line in font A
SMALL_COLUMNS = {58: 42, 80: 64}  # characters per line in font B
DOTS = {58: 384, 80: 576}  # printable width in dots at 203 dpi

TICK = "[ ] "
SMALL_INDENT = "     "  # font B spaces under a font A "[ ] " tick box
INDEX_MAX_LINES = 30  # font B lines of categories and services on the index slip: ~85 mm


@dataclass(frozen=True)
class Line:
    """One printed line, already wrapped to fit."""

    text: str
    bold: bool = False
    center: bool = False
    small: bool = False  # font B: secondary lines


@dataclass(frozen=True)
class Qr:
    """A QR code; ``payload`` is the URL it opens."""

    payload: str


@dataclass(frozen=True)
class Slip:
    name: str  # for file names and logs: the service id or "index"
    paper_width: int
    items: tuple[Line | Qr, ...]

    @property
    def columns(self) -> int:
        return COLUMNS[self.paper_width]

    @property
    def small_columns(self) -> int:
        return SMALL_COLUMNS[self.paper_width]

    @property
    def dots(self) -> int:
        return DOTS[self.paper_width]

    @property
    def qr_payloads(self) -> list[str]:
        return [item.payload for item in self.items if isinstance(item, Qr)]

    @property
    def lines(self) -> list[str]:
        return [item.text for item in self.items if isinstance(item, Line)]


# ---------------------------------------------------------------- wrapping


def _split_long_word(word: str, width: int) -> list[str]:
    """A word longer than a whole line (a long URL): break after '/' or '-' if possible."""
    pieces = []
    while len(word) > width:
        cut = word.rfind("/", 0, width)
        if cut < width // 2:  # a slash too early leaves a short line: try a hyphen
            cut = max(cut, word.rfind("-", 0, width))
        cut = cut + 1 if cut > 0 else width
        pieces.append(word[:cut])
        word = word[cut:]
    pieces.append(word)
    return pieces


def wrap(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    """Greedy word wrap; ``first`` prefixes the first line, ``rest`` the others.

    Words never break, except a single word longer than a whole line.
    """
    words = to_printable(text).split()
    lines: list[str] = []
    line = first
    fresh = True  # nothing but the prefix on this line yet
    for word in words:
        room = width - len(line) - (0 if fresh else 1)
        if len(word) <= room:
            line = line + ("" if fresh else " ") + word
            fresh = False
            continue
        if not fresh:
            lines.append(line)
            line, fresh = rest, True
        pieces = _split_long_word(word, width - len(line))
        for piece in pieces[:-1]:
            lines.append(line + piece)
            line = rest
        line, fresh = line + pieces[-1], False
    if not fresh or not lines:
        lines.append(line.rstrip() if fresh else line)
    return lines


class _Builder:
    def __init__(self, paper_width: int):
        self.paper_width = paper_width
        self.items: list[Line | Qr] = []

    def para(
        self,
        text: str,
        first: str = "",
        rest: str = "",
        *,
        bold: bool = False,
        center: bool = False,
        small: bool = False,
    ) -> None:
        width = (SMALL_COLUMNS if small else COLUMNS)[self.paper_width]
        for line in wrap(text, width, first, rest):
            self.items.append(Line(line, bold=bold, center=center, small=small))

    def gap(self) -> None:
        """A short blank: one line of the small font."""
        self.items.append(Line("", small=True))

    def qr(self, payload: str) -> None:
        self.items.append(Qr(payload))

    def slip(self, name: str) -> Slip:
        return Slip(name, self.paper_width, tuple(self.items))


def first_sentence(text: str) -> str:
    """Paper keeps the first sentence of a note; the page keeps all of it."""
    match = re.match(r"(.+?[.!?])(\s|$)", text.strip())
    return match.group(1) if match else text.strip()


def short_office_name(name: str) -> str:
    """ "Dinas Kependudukan ... (Dispendukcapil) Kabupaten Mojokerto" → "Dispendukcapil
    Kabupaten Mojokerto"; "KUA (Kantor Urusan Agama) Kecamatan X" → "KUA Kecamatan X".

    A one-word aside is the short form of the words before it; a longer aside spells
    out the word before it. The page shows the full name.
    """
    match = re.search(r"\(([^()]*)\)", name)
    if match is None:
        return name
    aside, before, after = match.group(1).strip(), name[: match.start()], name[match.end() :]
    short = f"{aside}{after}" if len(aside.split()) == 1 else f"{before.rstrip()}{after}"
    return " ".join(short.split())


def _header(b: _Builder, catalog: Catalog, config: Config) -> None:
    village = catalog.kiosk_village(config.village).name
    b.para(T.HEADER.format(kecamatan=catalog.kecamatan, village=village), center=True, small=True)


def service_url(config: Config, service_id: str) -> str:
    """The service page on the kiosk, as phones on its Wi-Fi reach it."""
    return f"{config.portal_url}layanan/{service_id}"


def public_service_url(config: Config, service_id: str) -> str | None:
    if not config.public_url:
        return None
    return f"{config.public_url.rstrip('/')}/layanan/{service_id}"


def copy_mark(req: Requirement) -> str:
    """ "FC", "asli", "asli + FC, 2 lembar": what kind of paper, how many."""
    mark = T.COPY_MARK[req.copy]
    return f"{mark}, {T.COUNT.format(count=req.count)}" if req.count > 1 else mark


def requirement_lines(b: _Builder, req: Requirement) -> None:
    b.para(f"{req.document} ({copy_mark(req)})", first=TICK, rest=" " * len(TICK))
    small = " ".join(
        part for part in (_sentence(req.when), first_sentence(req.note) if req.note else "") if part
    )
    if small:
        b.para(small, first=SMALL_INDENT, rest=SMALL_INDENT, small=True)


def _sentence(text: str) -> str:
    """ "jika bayi lahir di rumah" → "Jika bayi lahir di rumah." """
    text = text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def _hours_text(office: Office) -> str:
    return "; ".join(f"{h.days} {h.time}" for h in office.hours)


def _where(b: _Builder, catalog: Catalog, service: Service) -> None:
    office = catalog.office(service.served_by)
    if office is None:
        return
    b.para(T.WHERE.format(office=short_office_name(office.name)), small=True)
    if office.hours:
        b.para(T.HOURS.format(hours=_hours_text(office)), small=True)
    elif office.id != "desa":
        b.para(T.HOURS_UNKNOWN, small=True)


def service_slip(
    catalog: Catalog, service: Service, config: Config, paper_width: int | None = None
) -> Slip:
    """The checklist for one service."""
    catalog = resident_view(catalog)
    service = catalog.service(service.id) or service
    b = _Builder(paper_width or config.paper_width)
    _header(b, catalog, config)
    b.para(service.name, bold=True)
    if service.notice:
        b.para(T.IMPORTANT.format(notice=first_sentence(service.notice)), small=True)
    b.gap()
    b.para(T.BRING, bold=True)
    if any(req.copy != "asli" for req in service.requirements):
        b.para(T.COPY_LEGEND, small=True)
    for req in service.requirements:
        requirement_lines(b, req)
    b.gap()
    fee = T.FREE if service.is_free else format_fee(service.fee)
    b.para(T.FEE_TIME.format(fee=fee, time=service.time), small=True)
    _where(b, catalog, service)
    if not service.review.confirmed:
        b.para(T.NOT_CONFIRMED, small=True)
    b.para(T.SURVEY.format(url=f"{config.portal_url}survei"), small=True)
    b.gap()
    _links(
        b,
        T.SCAN_KIOSK.format(ssid=config.ssid_for(catalog.kiosk_village(config.village).name)),
        service_url(config, service.id),
        public_service_url(config, service.id),
    )
    return b.slip(service.id)


def _links(b: _Builder, label: str, kiosk_url: str, public_url: str | None) -> None:
    b.para(label, center=True, small=True)
    b.qr(kiosk_url)
    b.para(kiosk_url, center=True, small=True)
    if public_url:
        b.para(T.SCAN_PUBLIC, center=True, small=True)
        b.qr(public_url)
        b.para(public_url, center=True, small=True)


def short_codes(catalog: Catalog) -> dict[str, str]:
    """Service id → a two-digit number, in catalog order (as on the index slip)."""
    return {s.id: f"{i:02d}" for i, s in enumerate(catalog.services, 1)}


def _index_body(catalog: Catalog, paper_width: int, shown: int | None) -> list[Line | Qr]:
    codes = short_codes(catalog)
    b = _Builder(paper_width)
    for category in catalog.categories:
        services = catalog.services_in(category.id)
        if not services:
            continue
        b.para(category.name, bold=True, small=True)
        listed = services if shown is None else services[:shown]
        for service in listed:
            prefix = f"{codes[service.id]} "
            b.para(service.name, first=prefix, rest=" " * len(prefix), small=True)
        if len(listed) < len(services):
            b.para(T.INDEX_MORE.format(count=len(services) - len(listed)), small=True)
    return b.items


def index_body(catalog: Catalog, paper_width: int) -> list[Line | Qr]:
    """Every category with as many of its services as fit ``INDEX_MAX_LINES``.

    All services when they fit; otherwise the first few of each category (the same
    number in each), and "+ N layanan lain"; the QR opens the full list.
    """
    most = max((len(catalog.services_in(c.id)) for c in catalog.categories), default=0)
    for shown in (None, *range(most - 1, -1, -1)):
        body = _index_body(catalog, paper_width, shown)
        if len(body) <= INDEX_MAX_LINES:
            return body
    return body


def index_slip(catalog: Catalog, config: Config, paper_width: int | None = None) -> Slip:
    """The services by category with their short codes, and the site's QR."""
    catalog = resident_view(catalog)
    b = _Builder(paper_width or config.paper_width)
    _header(b, catalog, config)
    b.para(T.INDEX_TITLE, bold=True)
    b.para(T.INDEX_HINT, small=True)
    b.items.extend(index_body(catalog, b.paper_width))
    b.gap()
    public = f"{config.public_url.rstrip('/')}/" if config.public_url else None
    ssid = config.ssid_for(catalog.kiosk_village(config.village).name)
    _links(b, T.INDEX_SCAN.format(ssid=ssid), config.portal_url, public)
    return b.slip("index")


def ticket_slip(
    catalog: Catalog, ticket: str, config: Config, paper_width: int | None = None
) -> Slip:
    """A complaint's ticket code, bold, and where to look up the answer (nothing else)."""
    b = _Builder(paper_width or config.paper_width)
    _header(b, catalog, config)
    b.para(T.TICKET_TITLE, bold=True)
    b.para(ticket, bold=True, center=True)
    b.gap()
    ssid = config.ssid_for(catalog.kiosk_village(config.village).name)
    _links(b, T.TICKET_HINT.format(ssid=ssid), f"{config.portal_url}pengaduan/{ticket}", None)
    return b.slip("ticket")


def preview(slip: Slip) -> str:
    """The slip as plain text, as a technician checks it in a terminal (font B lines
    are wider: the frame is as wide as they are)."""
    width = slip.small_columns
    out = ["+" + "-" * width + "+"]
    for item in slip.items:
        if isinstance(item, Qr):
            out.append("|" + "[QR]".center(width) + "|")
            continue
        own = slip.small_columns if item.small else slip.columns
        text = item.text.center(own) if item.center else item.text
        out.append("|" + text.ljust(width) + "|")
    out.append("+" + "-" * width + "+")
    out.append("(cut)")
    return "\n".join(out)
