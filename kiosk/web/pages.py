"""Render the whole site for one catalog release, once, into cached bytes.

Pure functions of (catalog, config): no Flask, no request. A Pi Zero 2 W then only
copies bytes to the socket. Search pages depend on the query, so they are rendered
on demand and kept in a small cache that belongs to the same release.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import jinja2

from ..catalog.model import Catalog
from ..catalog.search import SearchIndex, normalize
from ..catalog.unfilled import resident_view
from ..config import Config
from ..indonesian import format_date, format_fee, requirement_detail
from .csrf import FormTokens
from .voice_pages import voice_pages

TEMPLATES = Path(__file__).parent / "templates"
STYLESHEET = Path(__file__).parent / "static" / "style.css"

HTML = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Page:
    """One response body, ready to send: plain and gzipped, with a strong ETag."""

    body: bytes
    gzipped: bytes
    etag: str
    status: int = 200
    content_type: str = HTML

    @classmethod
    def from_text(cls, text: str, status: int = 200, content_type: str = HTML) -> Page:
        body = text.encode("utf-8")
        digest = hashlib.sha256(body).hexdigest()[:20]
        # mtime=0 keeps the gzip bytes identical for identical pages.
        return cls(body, gzip.compress(body, 9, mtime=0), f'"{digest}"', status, content_type)


def make_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["tanggal"] = format_date
    env.filters["biaya"] = format_fee
    env.filters["rincian"] = lambda r: requirement_detail(r.copy_label, r.count, r.when)
    return env


def _minify_css(css: str) -> str:
    return "".join(line.strip() for line in css.splitlines())


class Site:
    """Every page of one release, keyed by path, plus its search."""

    SEARCH_CACHE_SIZE = 256

    def __init__(self, catalog: Catalog, config: Config, env: jinja2.Environment | None = None):
        # Residents never see a field the kecamatan has not filled in yet.
        catalog = resident_view(catalog)
        self.catalog = catalog
        self.config = config
        self.env = env or make_environment()
        self.index = SearchIndex(catalog)
        village = catalog.kiosk_village(config.village)
        self.context = {
            "catalog": catalog,
            "village": village,
            "office": catalog.head_office,
            "offices": {o.id: o for o in catalog.offices},
            "css": _minify_css(STYLESHEET.read_text(encoding="utf-8")),
            "portal_url": config.portal_url,
            "ssid": config.ssid_for(village.name),
            "query": "",
            "forms": FormTokens.for_config(config),
        }
        self.pages: dict[str, Page] = render_pages(self)  # keyed by URL path only
        self.not_found = self.render("not_found.html", status=404)
        self.server_error = self.render("error.html", status=500)
        self._searches: OrderedDict[str, Page] = OrderedDict()
        self._no_hits: set[str] = set()  # cached queries that found nothing (demand counts)
        self._lock = threading.Lock()

    def render(self, template: str, status: int = 200, **context) -> Page:
        text = self.env.get_template(template).render({**self.context, **context})
        return Page.from_text(text, status)

    def has_search_page(self, query: str) -> bool:
        """Is the page for ``query`` already rendered (so answering costs nothing)?"""
        return normalize(query)[:100] in self._searches

    def found_nothing(self, query: str) -> bool:
        """Did the (already rendered) search for ``query`` find no service?"""
        return normalize(query)[:100] in self._no_hits

    def search_page(self, query: str) -> Page:
        """The results page for ``query`` (cached per normalized query)."""
        key = normalize(query)[:100]
        with self._lock:
            page = self._searches.get(key)
            if page is not None:
                self._searches.move_to_end(key)
                return page
        results = self.index.search(query) if key else []
        page = self.render("search.html", query=query.strip()[:100], results=results)
        with self._lock:
            self._searches[key] = page
            if key and not results:
                self._no_hits.add(key)
            while len(self._searches) > self.SEARCH_CACHE_SIZE:
                self._no_hits.discard(self._searches.popitem(last=False)[0])
        return page


def render_pages(site: Site) -> dict[str, Page]:
    """All fixed pages of the site, keyed by URL path."""
    catalog = site.catalog
    groups = [
        (c, [s for s in catalog.services_in(c.id) if s.audience == "warga"])
        for c in catalog.categories
    ]
    pages = {
        "/": site.render(
            "home.html",
            groups=[(c, ss) for c, ss in groups if ss],
            for_desa=[s for s in catalog.services if s.audience != "warga"],
        ),
        "/tentang": site.render(
            "about.html",
            offices_shown=[catalog.head_office]
            + [
                o for o in catalog.offices if o.id != catalog.main_office and (o.address or o.hours)
            ],
        ),
        "/selesai": site.render("done.html"),
        **voice_pages(site),
    }
    for service in catalog.services:
        pages[f"/layanan/{service.id}"] = site.render(
            "service.html", service=service, served_by=catalog.office(service.served_by)
        )
    return pages
