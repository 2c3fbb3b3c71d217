"""The form pages (survey, complaint, "Tentang data"), rendered with the rest of the site.

Pure functions of a Site: pre-rendered once per release and served from memory like
every other page, so a phone hammering a form page costs the kiosk nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..voice import skm

if TYPE_CHECKING:
    from .pages import Page, Site


def voice_pages(site: Site) -> dict[str, Page]:
    """The form pages of one release, pre-rendered like every other page."""
    pages = {
        "/survei": site.render("survei.html", **survey_context(site, None)),
        "/pengaduan": site.render("pengaduan.html", values={}, errors={}),
        "/tentang-data": site.render("tentang_data.html"),
    }
    for service in site.catalog.services:
        pages[f"/survei/{service.id}"] = site.render(
            "survei.html", **survey_context(site, service.id)
        )
    return pages


def survey_context(site: Site, service_id: str | None, values=None, errors=None) -> dict:
    values = dict(values or {})
    if service_id:
        values.setdefault("layanan", service_id)
    return {
        "services": site.catalog.services,
        "elements": skm.ELEMENTS,
        "values": values,
        "errors": errors or {},
    }
