"""Slip layout: a pure function of (catalog, settings) → lines and QR payloads.

No printer here. render.py turns a :class:`Slip` into python-escpos calls; the same
Slip gives the text preview. Text is ASCII (see printable.py) and wrapped at word
boundaries to the paper's columns: 32 on 58 mm, 48 on 80 mm.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..catalog.model import Catalog, Office, Service
from ..config import Config
from ..indonesian import format_date, format_fee, requirement_detail
from . import text as T
from .printable import to_printable

COLUMNS = {58: 32, 80: 48}  # characters per line in font A
DOTS = {58: 384, 80: 576}  # printable width in dots at 203 dpi

INDENT = "    "  # under a "[ ] " tick box


@dataclass(frozen=True)
class Line:
    """One printed line, already wrapped to fit."""

    text: str
    bold: bool = False
    center: bool = False
    tall: bool = False  # double height (same width)


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
    def __init__(self, width: int):
        self.width = width
        self.items: list[Line | Qr] = []

    def para(self, text: str, first: str = "", rest: str = "", **style) -> None:
        for line in wrap(text, self.width, first, rest):
            self.items.append(Line(line, **style))

    def rule(self, char: str = "-") -> None:
        self.items.append(Line(char * self.width))

    def blank(self) -> None:
        self.items.append(Line(""))

    def qr(self, payload: str) -> None:
        self.items.append(Qr(payload))


def _first_sentence(text: str) -> str:
    """Steps are printed short: their first sentence."""
    match = re.match(r"(.+?[.!?])(\s|$)", text.strip())
    return match.group(1) if match else text.strip()


def _header(b: _Builder, catalog: Catalog, config: Config) -> None:
    b.para(T.KECAMATAN.format(name=catalog.kecamatan.upper()), bold=True, center=True)
    b.para(T.BALAI_DESA.format(name=catalog.kiosk_village(config.village).name), center=True)
    b.rule("=")


def service_url(config: Config, service_id: str) -> str:
    """The service page on the kiosk, as phones on its Wi-Fi reach it."""
    return f"{config.portal_url}layanan/{service_id}"


def public_service_url(config: Config, service_id: str) -> str | None:
    if not config.public_url:
        return None
    return f"{config.public_url.rstrip('/')}/layanan/{service_id}"


def _hours(b: _Builder, office: Office, label: str) -> None:
    if not office.hours:
        return
    b.para(label, bold=True)
    for hours in office.hours:
        b.para(f"{hours.days}: {hours.time}", rest=INDENT)


def service_slip(
    catalog: Catalog, service: Service, config: Config, paper_width: int | None = None
) -> Slip:
    """The checklist for one service."""
    width = paper_width or config.paper_width
    b = _Builder(COLUMNS[width])
    _header(b, catalog, config)
    b.para(service.name, bold=True, tall=True)
    if service.notice:
        b.para(T.IMPORTANT.format(notice=service.notice))
    b.blank()
    b.para(T.BRING, bold=True)
    for req in service.requirements:
        b.para(req.document, first="[ ] ", rest=INDENT)
        b.para(requirement_detail(req.copy_label, req.count, req.when), first=INDENT, rest=INDENT)
        if req.note:
            b.para(req.note, first=INDENT, rest=INDENT)
    b.blank()
    if service.steps:
        b.para(T.STEPS, bold=True)
        previous = None
        for number, step in enumerate(service.steps, 1):
            office = catalog.office(step.at)
            # Name the office only where the place changes: slips are short.
            where = f"{office.name}: " if office and step.at != previous else ""
            previous = step.at
            prefix = f"{number}. "
            b.para(where + _first_sentence(step.text), first=prefix, rest=" " * len(prefix))
        b.blank()
    served_by = catalog.office(service.served_by)
    if served_by is not None:
        b.para(T.WHERE, bold=True)
        b.para(served_by.name)
        if served_by.address:
            b.para(served_by.address)
        if served_by.hours:
            _hours(b, served_by, T.HOURS)
        elif served_by.id != catalog.main_office:
            _hours(b, catalog.head_office, T.HOURS_OF.format(office=catalog.head_office.name))
        b.blank()
    b.para(T.TIME.format(time=service.time))
    if service.is_free:
        b.para(T.FEE.format(fee=T.FREE), bold=True)
    else:
        b.para(T.FEE.format(fee=format_fee(service.fee)))
    if service.fee_note:
        b.para(service.fee_note, first=INDENT, rest=INDENT)
    if service.product:
        b.para(T.PRODUCT.format(product=service.product))
    b.para(T.CHECKED.format(date=format_date(service.review.checked)))
    if not service.review.confirmed:
        b.para(T.NOT_CONFIRMED)
    b.para(T.SURVEY.format(url=f"{config.portal_url}survei"))
    b.rule()
    _links(
        b, catalog, config, service_url(config, service.id), public_service_url(config, service.id)
    )
    return Slip(service.id, width, tuple(b.items))


def _links(
    b: _Builder, catalog: Catalog, config: Config, kiosk_url: str, public_url: str | None
) -> None:
    ssid = config.ssid_for(catalog.kiosk_village(config.village).name)
    b.para(T.SCAN_KIOSK.format(ssid=ssid), center=True)
    b.qr(kiosk_url)
    b.para(kiosk_url, center=True)
    if public_url:
        b.para(T.SCAN_PUBLIC, center=True)
        b.qr(public_url)
        b.para(public_url, center=True)


def short_codes(catalog: Catalog) -> dict[str, str]:
    """Service id → a two-digit number, in catalog order (as on the index slip)."""
    return {s.id: f"{i:02d}" for i, s in enumerate(catalog.services, 1)}


def index_slip(catalog: Catalog, config: Config, paper_width: int | None = None) -> Slip:
    """Every service with its short code, and the site's QR."""
    width = paper_width or config.paper_width
    b = _Builder(COLUMNS[width])
    _header(b, catalog, config)
    b.para(T.INDEX_TITLE, bold=True, tall=True)
    b.blank()
    codes = short_codes(catalog)
    for service in catalog.services:
        prefix = f"{codes[service.id]} "
        b.para(service.name, first=prefix, rest=" " * len(prefix))
    b.blank()
    b.para(T.INDEX_HINT)
    b.rule()
    public = f"{config.public_url.rstrip('/')}/" if config.public_url else None
    _links(b, catalog, config, config.portal_url, public)
    return Slip("index", width, tuple(b.items))


def ticket_slip(
    catalog: Catalog, ticket: str, config: Config, paper_width: int | None = None
) -> Slip:
    """A complaint's ticket code, big, and where to look up the answer (nothing else)."""
    b = _Builder(COLUMNS[paper_width or config.paper_width])
    _header(b, catalog, config)
    b.para(T.TICKET_TITLE, bold=True)
    b.para(ticket, bold=True, tall=True, center=True)
    b.blank()
    ssid = config.ssid_for(catalog.kiosk_village(config.village).name)
    b.para(T.TICKET_HINT.format(ssid=ssid))
    url = f"{config.portal_url}pengaduan/{ticket}"
    b.qr(url)
    b.para(url, center=True)
    return Slip("ticket", paper_width or config.paper_width, tuple(b.items))


def preview(slip: Slip) -> str:
    """The slip as plain text, as a technician checks it in a terminal."""
    width = slip.columns
    out = ["+" + "-" * width + "+"]
    for item in slip.items:
        if isinstance(item, Qr):
            label = "[QR]"
            out.append("|" + label.center(width) + "|")
            continue
        text = item.text.center(width) if item.center else item.text.ljust(width)
        out.append("|" + text + "|")
    out.append("+" + "-" * width + "+")
    out.append("(cut)")
    return "\n".join(out)
