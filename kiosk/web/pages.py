"""Render the whole site for one catalog release, once, into cached bytes.

Pure functions of (catalog, config): no Flask, no request. A Pi Zero 2 W then only
copies bytes to the socket. Search pages depend on the query, so they are rendered
on demand and kept in a small cache that belongs to the same release.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from pathlib import Path

import jinja2

from ..catalog.model import Catalog, Category, Service
from ..catalog.search import SearchIndex, cut_query, normalize
from ..catalog.unfilled import resident_view
from ..config import Config
from ..indonesian import format_date, format_fee, requirement_detail
from .csrf import FormTokens
from .page_cache import PageCache
from .voice_pages import SURVEY_PREFIX, SurveyForms, voice_pages

TEMPLATES = Path(__file__).parent / "templates"
STYLESHEET = Path(__file__).parent / "static" / "style.css"

HTML = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Page:
    """One response body, ready to send: kept gzipped only (nearly every phone takes
    gzip; a plain request costs one small decompress), with a strong ETag. Keeping one
    copy instead of two saves about 3 MB at 400 services on a 512 MB board."""

    gzipped: bytes
    etag: str
    status: int = 200
    content_type: str = HTML

    @property
    def body(self) -> bytes:
        return gzip.decompress(self.gzipped)

    @classmethod
    def from_text(cls, text: str, status: int = 200, content_type: str = HTML) -> Page:
        body = text.encode("utf-8")
        digest = hashlib.sha256(body).hexdigest()[:20]
        # mtime=0 keeps the gzip bytes identical for identical pages.
        return cls(gzip.compress(body, 9, mtime=0), f'"{digest}"', status, content_type)


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
            # Those with a page (/kategori/<id>): what a search that found nothing offers.
            "categories": [c for c, _ in resident_groups(catalog)],
            "forms": FormTokens.for_config(config),
        }
        self.not_found = self.render("not_found.html", status=404)
        self.server_error = self.render("error.html", status=500)
        self.search_busy = self.render("search_busy.html", status=503)
        self.surveys = SurveyForms(self)
        self.pages: dict[str, Page] = render_pages(self)  # keyed by URL path only
        self._no_hits: set[str] = set()  # cached queries that found nothing (demand counts)
        self._searches = PageCache(self.SEARCH_CACHE_SIZE, on_evict=self._no_hits.discard)

    def page(self, path: str) -> Page | None:
        """The page at ``path`` (the query string aside), or None: pre-rendered, or a
        one-service survey form made on demand (:class:`SurveyForms`)."""
        page = self.pages.get(path)
        if page is None and path.startswith(SURVEY_PREFIX):
            return self.surveys.page(path)
        return page

    def render(self, template: str, status: int = 200, **context) -> Page:
        text = self.env.get_template(template).render({**self.context, **context})
        return Page.from_text(text, status)

    def found_nothing(self, query: str) -> bool:
        """Did the (already rendered) search for ``query`` find no service?"""
        return cut_query(query) in self._no_hits

    def cached_search_page(self, query: str) -> Page | None:
        """The results page for ``query`` if it is already rendered (no work), else None."""
        return self._searches.get(cut_query(query))

    def search_page(self, query: str) -> Page:
        """The results page for ``query``, cut first (:func:`cut_query`): what is searched,
        shown and cached is the same text, so no query can change another's page."""
        page = self.cached_search_page(query)
        if page is not None:
            return page
        key = cut_query(query)
        results = self.index.search(key) if normalize(key) else []
        page = self.render("search.html", query=key, results=results)
        if key and not results:
            self._no_hits.add(key)
        return self._searches.put(key, page)


# The home page lists every service while it stays this small; past it (a kabupaten's
# catalog), it lists the categories, each with pages of its own.
HOME_BUDGET = 12 * 1024  # plain bytes; leaves room under the 14 KB page limit
SERVICES_PER_PAGE = 40  # on a category page
FOR_DESA = Category("perangkat-desa", "Untuk perangkat desa")


def resident_groups(catalog: Catalog) -> list[tuple[Category, list[Service]]]:
    """The categories with their services for residents, then those for the desa staff."""
    groups = [
        (c, [s for s in catalog.services_in(c.id) if s.audience == "warga"])
        for c in catalog.categories
    ]
    for_desa = [s for s in catalog.services if s.audience != "warga"]
    return [(c, ss) for c, ss in groups if ss] + ([(FOR_DESA, for_desa)] if for_desa else [])


def render_pages(site: Site) -> dict[str, Page]:
    """All fixed pages of the site, keyed by URL path."""
    catalog = site.catalog
    every = resident_groups(catalog)
    groups = [(c, ss) for c, ss in every if c is not FOR_DESA]
    for_desa = [s for s in catalog.services if s.audience != "warga"]
    home = site.render("home.html", groups=groups, for_desa=for_desa, by_category=False)
    if len(home.body) > HOME_BUDGET:
        home = site.render("home.html", groups=every, for_desa=[], by_category=True)
    pages = {
        "/": home,
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
    for category, services in every:
        pages.update(category_pages(site, category, services))
    for service in catalog.services:
        pages[f"/layanan/{service.id}"] = site.render(
            "service.html", service=service, served_by=catalog.office(service.served_by)
        )
    return pages


def category_pages(
    site: Site, category: Category, services: list, *, survey: bool = False
) -> dict[str, Page]:
    """``/kategori/<id>`` and, for a long category, ``/kategori/<id>/2`` and on; with
    ``survey``, the same lists under ``/survei/kategori/`` linking to the survey forms."""
    base = f"/survei/kategori/{category.id}" if survey else f"/kategori/{category.id}"
    chunks = [
        services[i : i + SERVICES_PER_PAGE] for i in range(0, len(services), SERVICES_PER_PAGE)
    ]
    pages = {}
    for number, chunk in enumerate(chunks, 1):
        path = base if number == 1 else f"{base}/{number}"
        pages[path] = site.render(
            "category.html",
            category=category,
            services=chunk,
            base=base,
            page=number,
            pages=len(chunks),
            survey=survey,
        )
    return pages
