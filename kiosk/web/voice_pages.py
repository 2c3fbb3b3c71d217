"""The form pages (survey, complaint, "Tentang data"), rendered with the rest of the site.

Pure functions of a Site: pre-rendered once per release and served from memory like
every other page, so a phone hammering a form page costs the kiosk nothing.

The survey names the service it is about, and stays small at any catalog size. While a
form listing every service fits :data:`SURVEY_LIST_BUDGET`, ``/survei`` chooses the
service in a ``<select>``; past it (a kabupaten's catalog) ``/survei`` lists the
categories and ``/survei/kategori/<id>[/n]`` their services, and ``/survei/lainnya``
is the form for a service not in the list. ``/survei/<service id>`` (linked from each
service page) is the form for that one service, with a link to choose another: made on
demand from one pre-rendered text and a few kept (:class:`SurveyForms`), since 400
copies of the same nine questions would cost a 512 MB board over a megabyte.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import escape

from ..voice import skm
from .page_cache import PageCache

if TYPE_CHECKING:
    from ..catalog.model import Service
    from .pages import Page, Site

SURVEY_LIST_BUDGET = 14 * 1024  # plain bytes: a resident page's limit
SURVEY_PREFIX = "/survei/"
NOT_LISTED = "lainnya"  # /survei/lainnya: a service not in the list (large catalogs)
# Stand-ins rendered once into the one-service form, then replaced per service.
_ID, _NAME = "@@layanan-id@@", "@@layanan-nama@@"


def voice_pages(site: Site) -> dict[str, Page]:
    """The form pages of one release, pre-rendered like every other page."""
    return {
        **site.surveys.pages,
        "/pengaduan": site.render("pengaduan.html", values={}, errors={}),
        "/tentang-data": site.render("tentang_data.html"),
    }


class SurveyForms:
    """The survey pages of one Site; see the module docstring."""

    KEEP = 32  # one-service forms kept rendered

    def __init__(self, site: Site):
        self.site = site
        self.by_id = {s.id: s for s in site.catalog.services}
        listing = site.render("survei.html", **self._context(listed=True))
        self.lists_services = len(listing.body) <= SURVEY_LIST_BUDGET
        self.pages = {"/survei": listing} if self.lists_services else self._choice_pages()
        one = site.render("survei.html", **self._context(service_id=_ID, service_name=_NAME))
        self._one_service = one.body.decode("utf-8")
        self._made = PageCache(self.KEEP)

    def _context(
        self, *, listed: bool = False, service_id="", service_name="", values=None, errors=None
    ) -> dict:
        """What survei.html needs: every service to choose from (``choices``), or one
        service fixed (``service_id``; "" for a service not in the list)."""
        return {
            "choices": self.site.catalog.services if listed else None,
            "service_id": service_id,
            "service_name": service_name,
            "elements": skm.ELEMENTS,
            "values": dict(values or {}),
            "errors": errors or {},
        }

    def error_context(self, values: dict, errors: dict) -> dict:
        """The form again after a refused post, with the service the resident chose."""
        if self.lists_services:
            return self._context(listed=True, values=values, errors=errors)
        service = self.by_id.get(values.get("layanan") or "")
        return self._context(
            service_id=service.id if service else "",
            service_name=service.name if service else "",
            values=values,
            errors=errors,
        )

    def page(self, path: str) -> Page | None:
        """``/survei/<service id>``, or None for a path that names no service."""
        service = self.by_id.get(path[len(SURVEY_PREFIX) :])
        if service is None:
            return None
        page = self._made.get(path)
        if page is None:
            page = self._made.put(path, self._for(service))
        return page

    def _for(self, service: Service) -> Page:
        from .pages import Page

        text = self._one_service.replace(_ID, str(escape(service.id)))
        return Page.from_text(text.replace(_NAME, str(escape(service.name))))

    def _choice_pages(self) -> dict[str, Page]:
        from .pages import category_pages, resident_groups

        groups = resident_groups(self.site.catalog)
        pages = {
            "/survei": self.site.render("survei_pilih.html", groups=groups),
            SURVEY_PREFIX + NOT_LISTED: self.site.render("survei.html", **self._context()),
        }
        for category, services in groups:
            pages.update(category_pages(self.site, category, services, survey=True))
        return pages
