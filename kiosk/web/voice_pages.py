"""The form pages (survey, complaint, "Tentang data"), rendered with the rest of the site.

Pure functions of a Site: pre-rendered once per release and served from memory like
every other page, so a phone hammering a form page costs the kiosk nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import escape

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
    # One render, then the service pre-selected by hand: rendering the survey once per
    # service would add a third to every release's render time on a Pi.
    generic_page = pages["/survei"]
    generic = generic_page.body.decode("utf-8")
    for service in site.catalog.services:
        option = f'<option value="{escape(service.id)}">'
        text = generic.replace(option, option[:-1] + " selected>", 1)
        pages[f"/survei/{service.id}"] = type(generic_page).from_text(text)
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
